/**
 * Nexmark Q3, local item suggestion (`join`): people in OR, ID or CA who sell in category 10, as an
 * incremental join of auctions and people on seller = id. Keyed by person id; per key the state holds the
 * person (or `null` once a person of another state arrived) and the auctions that came before their seller.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, ListState, ValueState } from '../../../../engine/src/index.ts';
import type { Auction, Person } from '../model.ts';

export const Q3_OPERATOR = 'join';
export const Q3_STATES: readonly string[] = ['OR', 'ID', 'CA'];
export const Q3_CATEGORY = 10;

/** One result: the seller's name, city and state, and the auction. */
export interface LocalItem {
  readonly name: string;
  readonly city: string;
  readonly state: string;
  readonly auction: number;
}

type Seller = { name: string; city: string; state: string } | null;

export class LocalItemJoin implements KeyedFunction<Person | Auction, LocalItem> {
  private person!: ValueState<Seller>;
  private pending!: ListState<number>;

  open(state: KeyedStateBackend): void {
    this.person = state.valueState<Seller>('q3-person');
    this.pending = state.listState<number>('q3-pending-auctions');
  }

  processElement(e: Person | Auction, ctx: KeyedContext<LocalItem>): void {
    if (e.kind === 'person') {
      if (!Q3_STATES.includes(e.state)) {
        this.person.update(null);
        this.pending.clear();
        return;
      }
      const seller = { name: e.name, city: e.city, state: e.state };
      this.person.update(seller);
      for (const auction of this.pending.get()) ctx.collect({ ...seller, auction });
      this.pending.clear();
      return;
    }
    if (e.category !== Q3_CATEGORY) return;
    const seller = this.person.value();
    if (seller === undefined) this.pending.add(e.id);
    else if (seller !== null) ctx.collect({ ...seller, auction: e.id });
  }
}
