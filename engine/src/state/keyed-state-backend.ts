/**
 * Keyed state of one subtask, organized by key group: value, map and list states, a dirty flag and a byte
 * count per key group, and a binary snapshot/restore of one key group at a time. Imports core/ only.
 */
import type { Key, KeyGroupId } from '../core/key-group.ts';
import { ProtocolError } from '../errors.ts';
import { sizeOf } from './size-of.ts';
import { BytePool } from './byte-pool.ts';
import { decodeKeyGroup, encodeKeyGroup, type KeyGroupTables } from './snapshot-codec.ts';

/**
 * The state table that holds a key group's event-time timers (`timestamp -> keys`, see timer-service.ts): the
 * one table whose entries are not per key, so moving some keys of a key group splits its lists.
 */
export const TIMER_STATE = '__timers';

/** Some of a key group's state as it leaves a subtask: its tables, their byte values in walk order, its bytes. */
export interface StateParcel {
  readonly tables: KeyGroupTables;
  readonly values: Uint8Array[];
  readonly bytes: number;
}

/** Flink's `ValueState`, bound to the backend's current key. */
export interface ValueState<T> {
  value(): T | undefined;
  update(v: T): void;
  clear(): void;
}

/** Flink's `MapState`, bound to the backend's current key. */
export interface MapState<K, V> {
  get(k: K): V | undefined;
  put(k: K, v: V): void;
  remove(k: K): void;
  has(k: K): boolean;
  entries(): IterableIterator<[K, V]>;
  size(): number;
  clear(): void;
}

/** Flink's `ListState`, bound to the backend's current key. */
export interface ListState<T> {
  get(): readonly T[];
  add(v: T): void;
  update(vs: T[]): void;
  clear(): void;
}

/**
 * All keyed state of one subtask. A key group is either owned (its tables exist, maybe empty) or not;
 * touching state of a key group that is not owned is a protocol error (its state is elsewhere).
 */
export class KeyedStateBackend {
  /** Indexed by key group; undefined while the key group is not owned here. */
  private readonly groups: (KeyGroupTables | undefined)[];
  /** Indexed by key group: 1 when written since the last regular checkpoint (see isDirty, markDirty). */
  private readonly dirty: Uint8Array;
  /** Indexed by key group: bytes held (keys and values). Changed only through `setBytes`. */
  readonly bytes: Float64Array;
  /** Sum of `bytes` over every key group, kept as they change (progress reads it ten times a second). */
  private heldBytes = 0;
  /**
   * Per key group, once {@link trackChanges} was called: the keys written since the state last equalled its
   * replica (null: not known, e.g. state installed from elsewhere). What Rhino ships instead of a key group.
   */
  private changed: (Set<Key> | null)[] | undefined;
  private currentKey: Key = '';
  private currentTables: KeyGroupTables | undefined;
  private currentKeyGroup = -1;

  constructor(
    readonly maxParallelism: number,
    owned: Iterable<KeyGroupId> = [],
    /** Where byte values come from and go back to (shared by the subtasks of a job). */
    readonly pool: BytePool = new BytePool(),
  ) {
    this.groups = new Array(maxParallelism).fill(undefined);
    this.dirty = new Uint8Array(maxParallelism);
    this.bytes = new Float64Array(maxParallelism);
    for (const kg of owned) this.groups[kg] = new Map();
  }

  owns(kg: KeyGroupId): boolean {
    return this.groups[kg] !== undefined;
  }

  /** Key groups owned here, ascending. */
  ownedKeyGroups(): KeyGroupId[] {
    const out: KeyGroupId[] = [];
    for (let kg = 0; kg < this.maxParallelism; kg++) if (this.groups[kg] !== undefined) out.push(kg);
    return out;
  }

  /** Sets the key that state handles read and write. */
  setCurrentKey(key: Key, kg: KeyGroupId): void {
    const tables = this.groups[kg];
    if (tables === undefined) throw new ProtocolError(`key group ${kg} (key ${String(key)}) is not held by this subtask`);
    this.currentKey = key;
    this.currentTables = tables;
    this.currentKeyGroup = kg;
  }

  totalBytes(): number {
    return this.heldBytes;
  }

  /** Sets a key group's accounted bytes and the total with it. */
  private setBytes(kg: KeyGroupId, n: number): void {
    this.heldBytes += n - this.bytes[kg];
    this.bytes[kg] = n;
  }

  valueState<T>(name: string): ValueState<T> {
    return {
      value: () => this.table(name, false)?.get(this.currentKey) as T | undefined,
      update: (v: T) => this.write(name, v),
      clear: () => this.write(name, undefined),
    };
  }

  mapState<K, V>(name: string): MapState<K, V> {
    const map = (create: boolean): Map<K, V> | undefined => {
      const t = this.table(name, create);
      let m = t?.get(this.currentKey) as Map<K, V> | undefined;
      if (m === undefined && create && t !== undefined) {
        m = new Map();
        t.set(this.currentKey, m);
        this.account(sizeOf(this.currentKey) + 8);
      }
      return m;
    };
    return {
      get: (k) => map(false)?.get(k),
      has: (k) => map(false)?.has(k) ?? false,
      put: (k, v) => {
        const m = map(true) as Map<K, V>;
        const had = m.has(k);
        const old = m.get(k);
        m.set(k, v);
        this.account(sizeOf(v) - (had ? sizeOf(old) : -sizeOf(k)));
      },
      remove: (k) => {
        const m = map(false);
        if (m === undefined || !m.has(k)) return;
        this.account(-sizeOf(k) - sizeOf(m.get(k)));
        m.delete(k);
      },
      entries: () => (map(false) ?? new Map<K, V>()).entries(),
      size: () => map(false)?.size ?? 0,
      clear: () => this.write(name, undefined),
    };
  }

  listState<T>(name: string): ListState<T> {
    return {
      get: () => (this.table(name, false)?.get(this.currentKey) as T[] | undefined) ?? [],
      add: (v: T) => {
        const t = this.table(name, true) as Map<Key, unknown>;
        const list = t.get(this.currentKey) as T[] | undefined;
        if (list === undefined) {
          t.set(this.currentKey, [v]);
          this.account(sizeOf(this.currentKey) + 8 + sizeOf(v));
        } else {
          list.push(v);
          this.account(sizeOf(v));
        }
      },
      update: (vs: T[]) => this.write(name, vs.length === 0 ? undefined : [...vs]),
      clear: () => this.write(name, undefined),
    };
  }

  /** One state's table in one key group (`key -> entry`), read-only; undefined when empty or not owned. */
  stateTable(kg: KeyGroupId, name: string): ReadonlyMap<Key, unknown> | undefined {
    return this.groups[kg]?.get(name);
  }

  /** Iterates the entries of one state in one key group (for tests, windows firing, state checks). */
  *entries(kg: KeyGroupId, name: string): IterableIterator<[Key, unknown]> {
    const t = this.groups[kg]?.get(name);
    if (t !== undefined) yield* t.entries();
  }

  /** Serializes one key group's state (snapshot-codec.ts, canonical); its bytes are all a destination needs. */
  snapshotKeyGroup(kg: KeyGroupId): Uint8Array {
    return encodeKeyGroup(this.tablesOf(kg));
  }

  private tablesOf(kg: KeyGroupId): KeyGroupTables {
    const tables = this.groups[kg];
    if (tables === undefined) throw new ProtocolError(`snapshot of key group ${kg}, which is not held by this subtask`);
    return tables;
  }

  /**
   * Installs a key group from its snapshot, replacing what was there; the key group becomes owned and clean.
   * `copy: false` (default) lets the state use the snapshot's memory, which the caller hands over; a shared
   * snapshot (a replica) must be restored with `copy: true`.
   */
  restoreKeyGroup(kg: KeyGroupId, bytes: Uint8Array, options: { copy?: boolean } = {}): void {
    const tables = decodeKeyGroup(bytes, options.copy === true ? (n: number) => this.pool.take(n) : false);
    this.groups[kg] = tables;
    // Handles bound to this key group must see the restored tables, not the replaced ones.
    if (this.currentKeyGroup === kg) this.currentTables = tables;
    this.setBytes(kg, countBytes(tables));
    this.dirty[kg] = 0;
    this.unknownChanges(kg);
  }

  /**
   * A key group's state as it leaves this subtask by transfer (a migration inside this process): its tables,
   * its byte values in a fixed walk order (see {@link forEachBytes}) and its accounted bytes. The key group
   * must not change until {@link detach} (during a migration no record of it reaches this subtask any more).
   */
  exportKeyGroup(kg: KeyGroupId): StateParcel {
    const tables = this.tablesOf(kg);
    const values: Uint8Array[] = [];
    forEachBytes(tables, (b) => {
      values.push(b);
      return b;
    });
    return { tables, values, bytes: this.bytes[kg] };
  }

  /**
   * Installs transferred tables whose byte values are replaced, in walk order, by `copies` (memory of this
   * side, already holding the same bytes); the key group becomes owned and clean.
   */
  adoptKeyGroup(kg: KeyGroupId, tables: KeyGroupTables, copies: readonly Uint8Array[], bytes: number): void {
    let i = 0;
    forEachBytes(tables, () => copies[i++]);
    if (i !== copies.length) throw new ProtocolError(`key group ${kg}: ${copies.length} byte values transferred for ${i} in its state`);
    this.groups[kg] = tables;
    if (this.currentKeyGroup === kg) this.currentTables = tables;
    this.setBytes(kg, bytes);
    this.dirty[kg] = 0;
    this.unknownChanges(kg);
  }

  /** Forgets a key group whose tables now belong to another subtask; `values`, its old byte values, go back to the pool. */
  detach(kg: KeyGroupId, values: readonly Uint8Array[]): void {
    for (const v of values) this.pool.give(v);
    this.groups[kg] = undefined;
    this.setBytes(kg, 0);
    this.dirty[kg] = 0;
    this.unknownChanges(kg);
    if (this.currentKeyGroup === kg) this.currentTables = undefined;
  }

  /**
   * Takes the state of the keys of key group `kg` that `select` picks out of this subtask (a bin, some keys:
   * a key group held in parts by two subtasks), their pending timers with them; what stays remains owned
   * here. Both parts count as written (their replicas are stale). The parcel's byte values are still this
   * side's memory: give them back with {@link giveBack} once installed elsewhere.
   */
  extractKeys(kg: KeyGroupId, select: (key: Key) => boolean): StateParcel {
    const tables = this.tablesOf(kg);
    const out: KeyGroupTables = new Map();
    for (const [name, table] of tables) {
      const moved = new Map<Key, unknown>();
      if (name === TIMER_STATE) {
        for (const [ts, keys] of table as Map<Key, Key[]>) {
          const go = keys.filter(select);
          if (go.length === 0) continue;
          moved.set(ts, go);
          if (go.length === keys.length) table.delete(ts);
          else table.set(ts, keys.filter((k) => !select(k)));
        }
      } else {
        for (const [k, v] of table) {
          if (!select(k)) continue;
          moved.set(k, v);
          table.delete(k);
        }
      }
      if (moved.size > 0) out.set(name, moved);
      if (table.size === 0) tables.delete(name);
    }
    const bytes = countBytes(out);
    this.setBytes(kg, countBytes(tables));
    this.dirty[kg] = 1;
    this.unknownChanges(kg);
    const values: Uint8Array[] = [];
    forEachBytes(out, (b) => {
      values.push(b);
      return b;
    });
    return { tables: out, values, bytes };
  }

  /**
   * Installs the state of some keys of key group `kg` beside what is here (the key group becomes owned if it
   * was not): `copies` replace the parcel's byte values in walk order, as for {@link adoptKeyGroup}. Timers
   * at the same time join one list. The keys must not be here already.
   */
  mergeKeys(kg: KeyGroupId, parcel: Pick<StateParcel, 'tables'>, copies: readonly Uint8Array[]): void {
    let i = 0;
    forEachBytes(parcel.tables, () => copies[i++]);
    if (i !== copies.length) throw new ProtocolError(`key group ${kg}: ${copies.length} byte values transferred for ${i} in its state`);
    let tables = this.groups[kg];
    if (tables === undefined) {
      tables = new Map();
      this.groups[kg] = tables;
      if (this.currentKeyGroup === kg) this.currentTables = tables;
    }
    for (const [name, moved] of parcel.tables) {
      let table = tables.get(name);
      if (table === undefined) tables.set(name, (table = new Map()));
      for (const [k, v] of moved) {
        const here = table.get(k);
        if (here === undefined) table.set(k, v);
        else if (name === TIMER_STATE) table.set(k, [...(here as Key[]), ...(v as Key[]).filter((x) => !(here as Key[]).includes(x))]);
        else throw new ProtocolError(`key group ${kg}: key ${String(k)} of state '${name}' merged into a subtask that holds it already`);
      }
    }
    this.setBytes(kg, countBytes(tables));
    this.dirty[kg] = 1;
    this.unknownChanges(kg);
  }

  /** Byte values of a parcel that was installed elsewhere go back to the pool. */
  giveBack(values: readonly Uint8Array[]): void {
    for (const v of values) this.pool.give(v);
  }

  /** Memory for a new byte value of `size` bytes: recycled from released state when possible. */
  allocBytes(size: number): Buffer {
    return this.pool.take(size);
  }

  /** Takes ownership of an empty key group (a key group no one held state for yet). */
  adoptEmpty(kg: KeyGroupId): void {
    if (this.groups[kg] === undefined) this.groups[kg] = new Map();
  }

  /** Drops a key group's state once another subtask holds it; its byte values go back to the pool. */
  release(kg: KeyGroupId): void {
    const tables = this.groups[kg];
    if (tables !== undefined) for (const t of tables.values()) for (const v of t.values()) this.pool.giveAll(v);
    this.groups[kg] = undefined;
    this.setBytes(kg, 0);
    this.dirty[kg] = 0;
    this.unknownChanges(kg);
    if (this.currentKeyGroup === kg) this.currentTables = undefined;
  }

  /** Whether the key group was written since the last regular checkpoint (its replica is stale). */
  isDirty(kg: KeyGroupId): boolean {
    return this.dirty[kg] === 1;
  }

  /** Marks a key group as changed since its replica (state installed from elsewhere is newer than it). */
  markDirty(kg: KeyGroupId): void {
    this.dirty[kg] = 1;
    this.unknownChanges(kg);
  }

  clearDirty(kg: KeyGroupId): void {
    this.dirty[kg] = 0;
  }

  /** A checkpoint covered every key group. */
  clearAllDirty(): void {
    this.dirty.fill(0);
  }

  /**
   * Tracks, per key group, the keys written since the state last equalled its replica (see
   * {@link matchesReplica}); off by default, as it costs a set insertion per write. Nothing is known at first.
   */
  trackChanges(): void {
    this.changed ??= new Array<Set<Key> | null>(this.maxParallelism).fill(null);
  }

  /** The key group's state equals its replica now (a snapshot of it was just put in the stores, or it was restored from one). */
  matchesReplica(kg: KeyGroupId): void {
    if (this.changed !== undefined) this.changed[kg] = new Set();
  }

  /** Keys written since the state last equalled its replica; undefined when not known (or not tracked). */
  changesSinceReplica(kg: KeyGroupId): ReadonlySet<Key> | undefined {
    return this.changed?.[kg] ?? undefined;
  }

  private unknownChanges(kg: KeyGroupId): void {
    if (this.changed !== undefined) this.changed[kg] = null;
  }

  /**
   * The change of key group `kg` since its replica: the current entries, in every table, of the keys written
   * since (a key without entries was deleted). Non-destructive: the key group stays here until released; the
   * parcel's containers are its own, its byte values still this side's. Its bytes count every changed key.
   */
  exportChanges(kg: KeyGroupId): StateParcel & { readonly keys: readonly Key[] } {
    const changed = this.changesSinceReplica(kg);
    if (changed === undefined) throw new ProtocolError(`key group ${kg}: its change since the replica is not known`);
    const tables = this.tablesOf(kg);
    const out: KeyGroupTables = new Map();
    for (const [name, table] of tables) {
      const picked = new Map<Key, unknown>();
      for (const k of changed) {
        const v = table.get(k);
        if (v !== undefined) picked.set(k, cloneShape(v));
      }
      if (picked.size > 0) out.set(name, picked);
    }
    const keys = [...changed];
    let bytes = countBytes(out);
    for (const k of keys) bytes += sizeOf(k);
    const values: Uint8Array[] = [];
    forEachBytes(out, (b) => {
      values.push(b);
      return b;
    });
    return { tables: out, values, bytes, keys };
  }

  /**
   * Applies a change exported by {@link exportChanges} on top of the key group restored from its replica:
   * the changed keys are replaced in every table by the parcel's entries (`copies` replace its byte values in
   * walk order). The key group then differs from its replica by those keys.
   */
  applyChanges(kg: KeyGroupId, parcel: Pick<StateParcel, 'tables'> & { readonly keys: readonly Key[] }, copies: readonly Uint8Array[]): void {
    let i = 0;
    forEachBytes(parcel.tables, () => copies[i++]);
    if (i !== copies.length) throw new ProtocolError(`key group ${kg}: ${copies.length} byte values transferred for ${i} in its change`);
    const tables = this.tablesOf(kg);
    // Entries that are still there are replaced in place (a map keeps its order); the others go.
    for (const k of parcel.keys) {
      for (const [name, table] of tables) {
        const old = table.get(k);
        if (old === undefined) continue;
        this.pool.giveAll(old);
        if (parcel.tables.get(name)?.has(k) === true) continue;
        table.delete(k);
        if (table.size === 0) tables.delete(name);
      }
    }
    for (const [name, picked] of parcel.tables) {
      let table = tables.get(name);
      if (table === undefined) tables.set(name, (table = new Map()));
      for (const [k, v] of picked) table.set(k, v);
    }
    this.setBytes(kg, countBytes(tables));
    if (parcel.keys.length > 0) this.dirty[kg] = 1;
    if (this.changed !== undefined) this.changed[kg] = new Set(parcel.keys);
  }

  private table(name: string, create: boolean): Map<Key, unknown> | undefined {
    const tables = this.currentTables;
    if (tables === undefined) throw new ProtocolError('state accessed without a current key');
    let t = tables.get(name);
    if (t === undefined && create) {
      t = new Map();
      tables.set(name, t);
    }
    return t;
  }

  private write(name: string, v: unknown): void {
    const t = this.table(name, v !== undefined);
    if (t === undefined) return;
    const old = t.get(this.currentKey);
    const keyBytes = sizeOf(this.currentKey);
    if (v === undefined) {
      if (old === undefined) return;
      t.delete(this.currentKey);
      this.account(-keyBytes - sizeOf(old));
    } else {
      t.set(this.currentKey, v);
      this.account(sizeOf(v) - (old === undefined ? -keyBytes : sizeOf(old)));
    }
  }

  private account(delta: number): void {
    const kg = this.currentKeyGroup;
    this.setBytes(kg, this.bytes[kg] + delta);
    this.dirty[kg] = 1;
    this.changed?.[kg]?.add(this.currentKey);
  }
}

/** A copy of an entry's containers (maps, arrays), sharing its byte values. */
function cloneShape(v: unknown): unknown {
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, cloneShape(x)]));
  if (Array.isArray(v)) return v.map(cloneShape);
  return v;
}

/** Accounted bytes of some tables (keys and values, as the handles count them). */
function countBytes(tables: KeyGroupTables): number {
  let n = 0;
  for (const t of tables.values()) for (const [k, v] of t) n += sizeOf(k) + sizeOf(v);
  return n;
}

/**
 * Visits every byte value of a key group's state (table entries, nested in maps and arrays; the same values
 * the pool takes back on release), in a fixed order, replacing each by what `f` returns.
 */
function forEachBytes(tables: KeyGroupTables, f: (b: Uint8Array) => Uint8Array): void {
  const visit = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return f(v);
    if (v instanceof Map) {
      for (const [k, x] of v) {
        const y = visit(x);
        if (y !== x) v.set(k, y);
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const y = visit(v[i]);
        if (y !== v[i]) v[i] = y;
      }
    }
    return v;
  };
  for (const table of tables.values()) visit(table);
}
