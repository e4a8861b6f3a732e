/**
 * Nexmark Q8, monitor new users (`join`): people who opened an auction in the same tumbling event-time
 * window as they registered, as a window join of people and auctions on id = seller, keyed by person id.
 * Per key the state lists the window's people and auctions (each tagged with its window start); a timer
 * at the window's end emits every pair and drops the window.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, ListState, OperatorInfo, TimerService } from '../../../../engine/src/index.ts';
import type { Auction, Person } from '../model.ts';

export const Q8_OPERATOR = 'join';

/** One result: a new person and an auction they opened in window [windowStart, windowStart + size). */
export interface NewUser {
  readonly id: number;
  readonly name: string;
  readonly auction: number;
  readonly reserve: number;
  readonly windowStart: number;
}

export class NewUsersJoin implements KeyedFunction<Person | Auction, NewUser> {
  /** `[windowStart, name]` per person event of the key. */
  private people!: ListState<[number, string]>;
  /** `[windowStart, auction id, reserve]` per auction of the key (as seller). */
  private auctions!: ListState<[number, number, number]>;
  private timers!: TimerService;

  constructor(readonly sizeMs: number) {
    if (!(sizeMs > 0)) throw new RangeError(`window size must be > 0 ms, got ${sizeMs}`);
  }

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.people = state.listState('q8-people');
    this.auctions = state.listState('q8-auctions');
    this.timers = info.timers;
  }

  processElement(e: Person | Auction, ctx: KeyedContext<NewUser>): void {
    const start = Math.floor(e.dateTime / this.sizeMs) * this.sizeMs;
    // The window's timer is set unless the key's newest entry is of this window already (it set it).
    const people = this.people.get();
    const auctions = this.auctions.get();
    const known = people.at(-1)?.[0] === start || auctions.at(-1)?.[0] === start;
    if (e.kind === 'person') this.people.add([start, e.name]);
    else this.auctions.add([start, e.id, e.reserve]);
    if (!known) this.timers.register(ctx.key, ctx.keyGroup, start + this.sizeMs);
  }

  onTimer(end: number, ctx: KeyedContext<NewUser>): void {
    const start = end - this.sizeMs;
    const people = this.people.get();
    const auctions = this.auctions.get();
    for (const [ps, name] of people) {
      if (ps !== start) continue;
      for (const [as, auction, reserve] of auctions) if (as === start) ctx.collect({ id: ctx.key as number, name, auction, reserve, windowStart: start });
    }
    this.people.update(people.filter(([s]) => s !== start));
    this.auctions.update(auctions.filter(([s]) => s !== start));
  }
}
