/**
 * The key-group -> subtask table of one keyed operator: Flink's contiguous ranges at first, any map after
 * migrations. Versioned, so a router can tell which table it routes with. The one assignment type of the
 * engine's API (plans, scenarios, target files, requests); JSON goes through toMap / fromMap. Imports only core/.
 */
import { operatorIndexOf, type KeyGroupId } from './key-group.ts';
import { InvalidPlanError } from '../errors.ts';

/** Which subtask owns which key group; every key group has exactly one owner. */
export class Assignment {
  /** Indexed by key group: the owning subtask. */
  private readonly owner: Int32Array;
  /**
   * Indexed by subtask: its key groups in list order (the reference's executor mapping, which scenarios
   * read: equiShuffle gives away a subtask's first key groups). Set by fromMap and kept by withMoves (a moved
   * key group joins the end of its new list); undefined for an initial assignment and its successors, whose
   * lists are ascending.
   */
  private readonly order: readonly (readonly KeyGroupId[])[] | undefined;

  private constructor(
    owner: Int32Array,
    readonly parallelism: number,
    /** Increases by one with every change made through `withMoves`. */
    readonly version: number,
    order?: readonly (readonly KeyGroupId[])[],
  ) {
    this.owner = owner;
    this.order = order;
  }

  get maxParallelism(): number {
    return this.owner.length;
  }

  /** Flink's initial contiguous assignment. */
  static initial(maxParallelism: number, parallelism: number): Assignment {
    const owner = new Int32Array(maxParallelism);
    for (let kg = 0; kg < maxParallelism; kg++) owner[kg] = operatorIndexOf(kg, maxParallelism, parallelism);
    return new Assignment(owner, parallelism, 0);
  }

  /**
   * Builds an assignment from `subtask -> key groups`, checking that it covers every key group once. The
   * lists' order is kept (see {@link Assignment.lists}); subtasks missing from the map own nothing.
   */
  static fromMap(map: ReadonlyMap<number, readonly KeyGroupId[]> | readonly (readonly KeyGroupId[])[], maxParallelism: number, parallelism: number): Assignment {
    const owner = new Int32Array(maxParallelism).fill(-1);
    const entries = Array.isArray(map) ? map.map((kgs, i) => [i, kgs] as const) : [...(map as ReadonlyMap<number, readonly KeyGroupId[]>)];
    for (const [subtask, kgs] of entries) {
      if (!Number.isInteger(subtask) || subtask < 0 || subtask >= parallelism) {
        throw new InvalidPlanError(`assignment names subtask ${subtask}; subtasks are 0..${parallelism - 1}`);
      }
      for (const kg of kgs) {
        if (!Number.isInteger(kg) || kg < 0 || kg >= maxParallelism) {
          throw new InvalidPlanError(`assignment names key group ${kg}; key groups are 0..${maxParallelism - 1}`);
        }
        if (owner[kg] !== -1) throw new InvalidPlanError(`assignment gives key group ${kg} to subtasks ${owner[kg]} and ${subtask}`);
        owner[kg] = subtask;
      }
    }
    const missing = owner.indexOf(-1);
    if (missing >= 0) throw new InvalidPlanError(`assignment misses key group ${missing} (every key group 0..${maxParallelism - 1} needs an owner)`);
    const order: KeyGroupId[][] = Array.from({ length: parallelism }, () => []);
    for (const [subtask, kgs] of entries) for (const kg of kgs) order[subtask].push(kg);
    return new Assignment(owner, parallelism, 0, order);
  }

  ownerOf(keyGroup: KeyGroupId): number {
    return this.owner[keyGroup];
  }

  /** A copy of the table, for routers that index it on the hot path. */
  table(): Int32Array {
    return this.owner.slice();
  }

  /** Key groups owned by `subtask`, ascending. */
  keyGroupsOf(subtask: number): KeyGroupId[] {
    const out: KeyGroupId[] = [];
    for (let kg = 0; kg < this.owner.length; kg++) if (this.owner[kg] === subtask) out.push(kg);
    return out;
  }

  /**
   * `subtask -> key groups` for every subtask in list order: as given to fromMap, with key groups moved since
   * appended; ascending for an assignment that no fromMap is behind (as toMap).
   */
  lists(): KeyGroupId[][] {
    return this.order === undefined ? this.toMap() : this.order.map((kgs) => kgs.slice());
  }

  /** `subtask -> key groups` for every subtask (empty lists included), each ascending: the JSON form. */
  toMap(): KeyGroupId[][] {
    const out: KeyGroupId[][] = Array.from({ length: this.parallelism }, () => []);
    for (let kg = 0; kg < this.owner.length; kg++) out[this.owner[kg]].push(kg);
    return out;
  }

  /** A new version with the given key groups moved to new owners (appended to their lists, in move order). */
  withMoves(moves: Iterable<{ keyGroup: KeyGroupId; to: number }>): Assignment {
    const owner = this.owner.slice();
    /** Key group -> its last move's target, in the order of those last moves. */
    const moved = new Map<KeyGroupId, number>();
    for (const { keyGroup, to } of moves) {
      if (!Number.isInteger(keyGroup) || keyGroup < 0 || keyGroup >= owner.length) {
        throw new InvalidPlanError(`move names key group ${keyGroup}; key groups are 0..${owner.length - 1}`);
      }
      if (!Number.isInteger(to) || to < 0 || to >= this.parallelism) throw new InvalidPlanError(`move of key group ${keyGroup} names subtask ${to}; subtasks are 0..${this.parallelism - 1}`);
      owner[keyGroup] = to;
      moved.delete(keyGroup);
      moved.set(keyGroup, to);
    }
    return new Assignment(owner, this.parallelism, this.version + 1, this.movedOrder(moved));
  }

  /** The list order after `moved`: each moved key group leaves its list and joins the end of its target's. */
  private movedOrder(moved: ReadonlyMap<KeyGroupId, number>): (readonly KeyGroupId[])[] | undefined {
    if (this.order === undefined) return undefined;
    // Lists are never changed once built, so untouched ones are shared (withMoves runs once per chunk).
    const out: (readonly KeyGroupId[])[] = this.order.slice();
    const copied = new Set<number>();
    const own = (subtask: number): KeyGroupId[] => {
      if (!copied.has(subtask)) {
        out[subtask] = out[subtask].slice();
        copied.add(subtask);
      }
      return out[subtask] as KeyGroupId[];
    };
    const sources = new Set<number>();
    for (const kg of moved.keys()) sources.add(this.owner[kg]);
    for (const subtask of sources) {
      out[subtask] = out[subtask].filter((kg) => !moved.has(kg));
      copied.add(subtask);
    }
    for (const [kg, to] of moved) own(to).push(kg);
    return out;
  }

  /** Same owner for every key group (list order aside). */
  equals(other: Assignment): boolean {
    if (other.owner.length !== this.owner.length) return false;
    for (let i = 0; i < this.owner.length; i++) if (other.owner[i] !== this.owner[i]) return false;
    return true;
  }
}
