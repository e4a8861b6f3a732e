// Tests of KeyedStateBackend: value, map and list semantics per key and state name; bytes per key group
// equal a recount of what is held (and 0 once everything is cleared); every kind of write sets the key
// group's dirty flag and clearDirty clears it; snapshot -> restore elsewhere -> snapshot gives the same
// bytes for random states; state of a key group that is not held is a ProtocolError; release drops state.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeyedStateBackend } from './keyed-state-backend.ts';
import { TimerService } from './timer-service.ts';
import { sizeOf } from './size-of.ts';
import type { Key } from '../core/key-group.ts';
import { ProtocolError } from '../errors.ts';

const MP = 8;
const VALUE_NAMES = ['v1', 'v2'];
const MAP_NAMES = ['m1', 'm2'];
const LIST_NAMES = ['l1', 'l2'];
const NAMES = [...VALUE_NAMES, ...MAP_NAMES, ...LIST_NAMES];

/** Bytes held in key group `kg` by the entries' own sizes, as the backend should account them. */
function recount(b: KeyedStateBackend, kg: number): number {
  let n = 0;
  for (const name of NAMES) for (const [k, v] of b.entries(kg, name)) n += sizeOf(k) + sizeOf(v);
  return n;
}

function dirtyKeyGroups(b: KeyedStateBackend): number[] {
  return Array.from({ length: b.maxParallelism }, (_, kg) => kg).filter((kg) => b.isDirty(kg));
}

// ---- random states ------------------------------------------------------------------------------------

/** Strings of UTF-16 code units around the surrogate range: lone surrogates included (JS strings may hold them). */
const rawUtf16 = fc.array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 4 }).map((cs) => String.fromCharCode(...cs));
const key: fc.Arbitrary<Key> = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.string({ unit: 'binary', maxLength: 4 }), rawUtf16);
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  rawUtf16,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, 2 ** 31, 2 ** 53, NaN),
  // Integral numbers that V8 holds as heap numbers, not small integers.
  fc.integer({ min: -1000, max: 1000 }).map((i) => Number(`${i}.0`)),
  fc.integer({ min: 0, max: 100 }).map((i) => new Float64Array([i])[0]),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: unknown; map: Map<unknown, unknown>; list: unknown[] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('map'), tie('list')),
  map: fc.array(fc.tuple(fc.oneof(key, fc.boolean(), fc.bigInt(), fc.constant(null)), tie('value')), { maxLength: 4 }).map((es) => new Map(es)),
  list: fc.array(tie('value'), { maxLength: 4 }),
}));

type Op =
  | { kind: 'value'; kg: number; key: Key; name: string; v: unknown }
  | { kind: 'valueClear'; kg: number; key: Key; name: string }
  | { kind: 'put'; kg: number; key: Key; name: string; mk: unknown; v: unknown }
  | { kind: 'remove'; kg: number; key: Key; name: string; mk: unknown }
  | { kind: 'mapClear'; kg: number; key: Key; name: string }
  | { kind: 'add'; kg: number; key: Key; name: string; v: unknown }
  | { kind: 'listUpdate'; kg: number; key: Key; name: string; vs: unknown[] }
  | { kind: 'listClear'; kg: number; key: Key; name: string };

const kg = fc.integer({ min: 0, max: MP - 1 });
const smallKey = fc.oneof(fc.constantFrom<Key>('a', 'b', 'c', 1, 2), key);
/** Map-state keys need not be string or number keys: any value state can hold. */
const mapKey = fc.oneof(fc.constantFrom<unknown>('x', 'y', 3, true), key, fc.bigInt({ min: -5n, max: 5n }), fc.constant(false));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), kg, key: smallKey, name: fc.constantFrom(...VALUE_NAMES), v: value }),
  fc.record({ kind: fc.constant('valueClear' as const), kg, key: smallKey, name: fc.constantFrom(...VALUE_NAMES) }),
  fc.record({ kind: fc.constant('put' as const), kg, key: smallKey, name: fc.constantFrom(...MAP_NAMES), mk: mapKey, v: fc.oneof(value, fc.constant(undefined)) }),
  fc.record({ kind: fc.constant('remove' as const), kg, key: smallKey, name: fc.constantFrom(...MAP_NAMES), mk: mapKey }),
  fc.record({ kind: fc.constant('mapClear' as const), kg, key: smallKey, name: fc.constantFrom(...MAP_NAMES) }),
  fc.record({ kind: fc.constant('add' as const), kg, key: smallKey, name: fc.constantFrom(...LIST_NAMES), v: value }),
  fc.record({ kind: fc.constant('listUpdate' as const), kg, key: smallKey, name: fc.constantFrom(...LIST_NAMES), vs: fc.array(value, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('listClear' as const), kg, key: smallKey, name: fc.constantFrom(...LIST_NAMES) }),
);

function apply(b: KeyedStateBackend, o: Op): void {
  b.setCurrentKey(o.key, o.kg);
  switch (o.kind) {
    case 'value': return b.valueState(o.name).update(o.v);
    case 'valueClear': return b.valueState(o.name).clear();
    case 'put': return b.mapState<unknown, unknown>(o.name).put(o.mk, o.v);
    case 'remove': return b.mapState<unknown, unknown>(o.name).remove(o.mk);
    case 'mapClear': return b.mapState(o.name).clear();
    case 'add': return b.listState(o.name).add(o.v);
    case 'listUpdate': return b.listState(o.name).update(o.vs);
    case 'listClear': return b.listState(o.name).clear();
  }
}

/** Clears every state of every key the ops touched. */
function clearAll(b: KeyedStateBackend, ops: readonly Op[]): void {
  for (const o of ops) {
    b.setCurrentKey(o.key, o.kg);
    for (const n of VALUE_NAMES) b.valueState(n).clear();
    for (const n of MAP_NAMES) b.mapState(n).clear();
    for (const n of LIST_NAMES) b.listState(n).clear();
  }
}

const allKeyGroups = Array.from({ length: MP }, (_, i) => i);

describe('state > keyed-state-backend', () => {
  it('value state: per key and per name, update and clear', () => {
    const b = new KeyedStateBackend(MP, allKeyGroups);
    const v1 = b.valueState<number>('v1');
    const v2 = b.valueState<string>('v2');
    b.setCurrentKey('a', 1);
    assert.equal(v1.value(), undefined);
    v1.update(7);
    v2.update('seven');
    b.setCurrentKey('b', 1);
    assert.equal(v1.value(), undefined, 'another key sees nothing');
    v1.update(8);
    b.setCurrentKey('a', 1);
    assert.equal(v1.value(), 7);
    assert.equal(v2.value(), 'seven');
    v1.update(9);
    assert.equal(v1.value(), 9);
    v1.clear();
    assert.equal(v1.value(), undefined);
    assert.equal(v2.value(), 'seven', 'clearing one state leaves the other');
    b.setCurrentKey('b', 1);
    assert.equal(v1.value(), 8);
  });

  it('map state: put, get, has, remove, entries, size, clear', () => {
    const b = new KeyedStateBackend(MP, allKeyGroups);
    const m = b.mapState<string, number>('m1');
    b.setCurrentKey('k', 3);
    assert.equal(m.size(), 0);
    assert.equal(m.has('x'), false);
    assert.deepEqual([...m.entries()], []);
    m.put('x', 1);
    m.put('y', 2);
    m.put('x', 3);
    assert.equal(m.get('x'), 3);
    assert.equal(m.has('y'), true);
    assert.equal(m.size(), 2);
    assert.deepEqual([...m.entries()], [['x', 3], ['y', 2]]);
    m.remove('x');
    m.remove('nothing');
    assert.equal(m.get('x'), undefined);
    assert.deepEqual([...m.entries()], [['y', 2]]);
    b.setCurrentKey('other', 3);
    assert.equal(m.size(), 0, 'another key has its own map');
    b.setCurrentKey('k', 3);
    m.clear();
    assert.equal(m.size(), 0);
    assert.equal(b.bytes[3], 0);
  });

  it('list state: add, get, update (empty clears), clear', () => {
    const b = new KeyedStateBackend(MP, allKeyGroups);
    const l = b.listState<number>('l1');
    b.setCurrentKey(42, 0);
    assert.deepEqual(l.get(), []);
    l.add(1);
    l.add(2);
    assert.deepEqual(l.get(), [1, 2]);
    const given = [5, 6, 7];
    l.update(given);
    given.push(8);
    assert.deepEqual(l.get(), [5, 6, 7], 'update copies the list');
    l.update([]);
    assert.deepEqual(l.get(), []);
    assert.equal(b.bytes[0], 0);
    l.add(3);
    l.clear();
    assert.deepEqual(l.get(), []);
    assert.equal(b.bytes[0], 0);
  });

  it('bytes per key group equal a recount (after the writes and after a restore) and are 0 once everything is cleared', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const b = new KeyedStateBackend(MP, allKeyGroups);
        for (const o of ops) apply(b, o);
        const other = new KeyedStateBackend(MP);
        for (let g = 0; g < MP; g++) {
          assert.equal(b.bytes[g], recount(b, g), `key group ${g}: accounted bytes equal a recount`);
          other.restoreKeyGroup(g, b.snapshotKeyGroup(g));
          assert.equal(other.bytes[g], b.bytes[g], `key group ${g}: bytes after a restore`);
        }
        assert.equal(other.totalBytes(), b.totalBytes());
        let sum = 0;
        for (let g = 0; g < MP; g++) sum += b.bytes[g];
        assert.equal(b.totalBytes(), sum, 'the kept total equals the sum over key groups');
        clearAll(b, ops);
        clearAll(other, ops);
        for (let g = 0; g < MP; g++) {
          assert.equal(b.bytes[g], 0, `key group ${g}: 0 bytes once cleared`);
          assert.equal(other.bytes[g], 0, `key group ${g}: 0 bytes once cleared (restored copy)`);
        }
        assert.equal(b.totalBytes(), 0);
        assert.equal(other.totalBytes(), 0);
      }),
      { numRuns: 300 },
    );
  });

  it('a map entry whose value is undefined is accounted once, however it is replaced or removed', () => {
    const b = new KeyedStateBackend(MP, allKeyGroups);
    const m = b.mapState<string, number | undefined>('m1');
    b.setCurrentKey('k', 2);
    m.put('x', undefined);
    assert.equal(b.bytes[2], recount(b, 2), 'after put(x, undefined)');
    m.put('x', 1);
    assert.equal(b.bytes[2], recount(b, 2), 'after replacing it');
    m.put('x', undefined);
    m.remove('x');
    assert.equal(b.bytes[2], recount(b, 2), 'after removing it');
    m.clear();
    assert.equal(b.bytes[2], 0);
  });

  it('removing every entry of a map state leaves the accounted bytes equal to a recount', () => {
    const b = new KeyedStateBackend(MP, allKeyGroups);
    const m = b.mapState<string, Buffer>('m1');
    b.setCurrentKey('k', 2);
    m.put('a', Buffer.alloc(10));
    m.put('b', Buffer.alloc(20));
    m.remove('a');
    m.remove('b');
    assert.equal(b.bytes[2], recount(b, 2));
  });

  it('sets the dirty flag on every kind of write, only for the key group written; clearDirty clears it', () => {
    const b = new KeyedStateBackend(MP, allKeyGroups);
    const v = b.valueState<number>('v1');
    const m = b.mapState<string, number>('m1');
    const l = b.listState<number>('l1');
    const writes: [string, () => void][] = [
      ['value update', () => v.update(1)],
      ['value update (same value)', () => v.update(1)],
      ['value clear', () => v.clear()],
      ['map put (new)', () => m.put('x', 1)],
      ['map put (replace)', () => m.put('x', 2)],
      ['map remove', () => m.remove('x')],
      ['map clear', () => (m.put('y', 1), b.clearDirty(5), m.clear())],
      ['list add (first)', () => l.add(1)],
      ['list add (more)', () => l.add(2)],
      ['list update', () => l.update([3])],
      ['list update (empty)', () => l.update([])],
      ['list clear', () => (l.add(4), b.clearDirty(5), l.clear())],
    ];
    b.setCurrentKey('k', 5);
    for (const [what, write] of writes) {
      b.clearDirty(5);
      assert.deepEqual(dirtyKeyGroups(b), [], `clean before ${what}`);
      write();
      assert.deepEqual(dirtyKeyGroups(b), [5], `${what} sets the flag of key group 5 only`);
    }
    b.clearDirty(5);
    // Reads leave the flag alone.
    v.value();
    m.get('x');
    m.has('x');
    m.size();
    void [...m.entries()];
    l.get();
    assert.deepEqual(dirtyKeyGroups(b), []);
  });

  it('snapshot -> restore into another backend -> snapshot gives identical bytes and equal state', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const a = new KeyedStateBackend(MP, allKeyGroups);
        for (const o of ops) apply(a, o);
        const b = new KeyedStateBackend(MP);
        for (let g = 0; g < MP; g++) {
          const snap = a.snapshotKeyGroup(g);
          b.restoreKeyGroup(g, snap);
          assert.ok(b.owns(g));
          const again = b.snapshotKeyGroup(g);
          assert.equal(Buffer.compare(Buffer.from(snap), Buffer.from(again)), 0, `key group ${g}: snapshots differ`);
          for (const name of NAMES) assert.deepEqual([...b.entries(g, name)], [...a.entries(g, name)], `key group ${g}, state ${name}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('restored state is a copy: writes on either side do not reach the other', () => {
    const a = new KeyedStateBackend(MP, [1]);
    const m = a.mapState<string, Buffer>('m1');
    a.setCurrentKey('k', 1);
    m.put('x', Buffer.from([1, 2, 3]));
    const b = new KeyedStateBackend(MP);
    b.restoreKeyGroup(1, a.snapshotKeyGroup(1));
    (m.get('x') as Buffer)[0] = 9;
    b.setCurrentKey('k', 1);
    assert.deepEqual(b.mapState<string, Buffer>('m1').get('x'), Buffer.from([1, 2, 3]));
  });

  it('restoring the current key group makes its handles see the restored state', () => {
    const a = new KeyedStateBackend(MP, [4]);
    const v = a.valueState<number>('v1');
    a.setCurrentKey('k', 4);
    v.update(1);
    const snap = a.snapshotKeyGroup(4);
    v.update(2);
    a.restoreKeyGroup(4, snap);
    assert.equal(v.value(), 1);
    v.update(3);
    assert.equal(a.bytes[4], recount(a, 4));
    assert.deepEqual([...a.entries(4, 'v1')], [['k', 3]]);
  });

  it('touching a key group that is not held is a ProtocolError', () => {
    const b = new KeyedStateBackend(MP, [0, 1]);
    assert.equal(b.owns(2), false);
    assert.deepEqual(b.ownedKeyGroups(), [0, 1]);
    assert.throws(() => b.setCurrentKey('k', 2), (e: unknown) => e instanceof ProtocolError && /key group 2/.test(e.message));
    assert.throws(() => b.snapshotKeyGroup(2), (e: unknown) => e instanceof ProtocolError && /key group 2/.test(e.message));
    const fresh = new KeyedStateBackend(MP, [0]);
    assert.throws(() => fresh.valueState('v1').value(), ProtocolError, 'no current key yet');
  });

  it('release drops the state, its bytes and its dirty flag; handles bound to it fail loudly', () => {
    const b = new KeyedStateBackend(MP, [3, 4]);
    const v = b.valueState<Buffer>('v1');
    b.setCurrentKey('k', 3);
    v.update(Buffer.alloc(100));
    assert.ok(b.bytes[3] > 100);
    assert.equal(b.isDirty(3), true);
    b.release(3);
    assert.equal(b.owns(3), false);
    assert.deepEqual(b.ownedKeyGroups(), [4]);
    assert.equal(b.bytes[3], 0);
    assert.equal(b.isDirty(3), false);
    assert.equal(b.totalBytes(), 0);
    assert.deepEqual([...b.entries(3, 'v1')], []);
    assert.throws(() => v.value(), ProtocolError);
    assert.throws(() => v.update(Buffer.alloc(1)), ProtocolError);
    assert.throws(() => b.setCurrentKey('k', 3), ProtocolError);
    // Adopting it again starts empty.
    b.adoptEmpty(3);
    b.setCurrentKey('k', 3);
    assert.equal(v.value(), undefined);
    assert.equal(b.bytes[3], 0);
  });
});

describe('state > keyed-state-backend > keys in parts (bins)', () => {
  /** One key group's state and timers for keys 0..n-1 (all in key group 0 here: the key group is given). */
  function filled(n: number): { a: KeyedStateBackend; timers: TimerService } {
    const a = new KeyedStateBackend(MP, [0]);
    const timers = new TimerService(a);
    const v = a.valueState<number>('count');
    const m = a.mapState<string, Uint8Array>('blobs');
    for (let k = 0; k < n; k++) {
      a.setCurrentKey(k, 0);
      v.update(k * 10);
      m.put(`b${k}`, Buffer.alloc(8, k));
      timers.register(k, 0, 100 + (k % 3));
    }
    return { a, timers };
  }

  it('extract some keys, merge them elsewhere: each side holds exactly its keys, timers split by key, bytes recount, both dirty', () => {
    const { a, timers } = filled(20);
    const before = a.snapshotKeyGroup(0);
    a.clearAllDirty();
    const odd = (k: Key): boolean => (k as number) % 2 === 1;
    const parcel = a.extractKeys(0, odd);
    const b = new KeyedStateBackend(MP, []);
    const bt = new TimerService(b);
    b.mergeKeys(0, parcel, parcel.values.map((x) => Buffer.from(x)));
    a.giveBack(parcel.values);
    assert.ok(a.isDirty(0) && b.isDirty(0));
    assert.deepEqual([...a.entries(0, 'count')].map(([k]) => k), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    assert.deepEqual([...b.entries(0, 'count')].map(([k]) => k).sort((x, y) => (x as number) - (y as number)), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    for (const [, keys] of timers.timersOf(0)) assert.ok(keys.every((k) => !odd(k)));
    for (const [, keys] of bt.timersOf(0)) assert.ok(keys.every(odd));
    assert.equal(parcel.bytes, b.bytes[0]);
    const recount = (s: KeyedStateBackend): number => {
      let n = 0;
      for (const name of ['count', 'blobs', '__timers']) for (const [k, v] of s.entries(0, name)) n += sizeOf(k) + sizeOf(v);
      return n;
    };
    assert.equal(a.bytes[0], recount(a));
    assert.equal(b.bytes[0], recount(b));
    // Merging the rest back gives the key group as it was (the codec is canonical).
    const rest = a.extractKeys(0, () => true);
    b.mergeKeys(0, rest, rest.values);
    assert.equal(a.bytes[0], 0);
    const whole = new KeyedStateBackend(MP, []);
    whole.restoreKeyGroup(0, b.snapshotKeyGroup(0));
    const c = new KeyedStateBackend(MP, []);
    c.restoreKeyGroup(0, before);
    assert.deepEqual(new Map([...whole.entries(0, 'count')].sort()), new Map([...c.entries(0, 'count')].sort()));
    assert.equal(whole.bytes[0], c.bytes[0]);
    const ts = (s: KeyedStateBackend): [number, number[]][] =>
      [...new TimerService(s).timersOf(0)].map(([t, ks]): [number, number[]] => [t, (ks as number[]).slice().sort((x, y) => x - y)]).sort((x, y) => x[0] - y[0]);
    assert.deepEqual(ts(whole), ts(c));
  });

  it('a key merged into a subtask that holds it already is a ProtocolError', () => {
    const { a } = filled(4);
    const parcel = a.extractKeys(0, (k) => k === 1);
    const b = filled(4).a;
    assert.throws(() => b.mergeKeys(0, parcel, parcel.values), ProtocolError);
  });
});

describe('state > keyed-state-backend > change since the replica (Rhino)', () => {
  it('replica + exported change = the state now, for random writes before and after the replica (timers included)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.array(op, { maxLength: 30 }), fc.array(fc.tuple(kg, smallKey, fc.integer({ min: 0, max: 5 })), { maxLength: 6 }), (before, after, timerOps) => {
        const a = new KeyedStateBackend(MP, allKeyGroups);
        a.trackChanges();
        const timers = new TimerService(a);
        for (const o of before) apply(a, o);
        const replicas = allKeyGroups.map((g) => {
          const r = a.snapshotKeyGroup(g);
          a.clearDirty(g);
          a.matchesReplica(g);
          return r;
        });
        for (const o of after) apply(a, o);
        for (const [g, k, t] of timerOps) timers.register(k, g, t);
        for (const g of allKeyGroups) {
          const change = a.exportChanges(g);
          const b = new KeyedStateBackend(MP, []);
          b.trackChanges();
          b.restoreKeyGroup(g, replicas[g], { copy: true });
          b.applyChanges(g, change, change.values.map((v) => Buffer.from(v)));
          // The same entries in every table (maps compare without order; lists and timer lists with it; an empty table is none).
          const table = (s: KeyedStateBackend, name: string): ReadonlyMap<Key, unknown> | undefined => {
            const t = s.stateTable(g, name);
            return t === undefined || t.size === 0 ? undefined : t;
          };
          for (const name of [...NAMES, '__timers']) assert.deepEqual(table(b, name), table(a, name), `key group ${g}, state ${name}`);
          assert.equal(b.bytes[g], a.bytes[g]);
          assert.equal(b.isDirty(g), a.changesSinceReplica(g)?.size !== 0);
          assert.deepEqual(new Set(b.changesSinceReplica(g)), new Set(a.changesSinceReplica(g)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the change is not known before a replica, after state arrived from elsewhere or was marked dirty, nor when not tracked', () => {
    const a = new KeyedStateBackend(MP, [0, 1]);
    assert.equal(a.changesSinceReplica(0), undefined);
    a.trackChanges();
    assert.equal(a.changesSinceReplica(0), undefined);
    a.matchesReplica(0);
    a.setCurrentKey('k', 0);
    a.valueState<number>('v1').update(1);
    assert.deepEqual([...(a.changesSinceReplica(0) ?? [])], ['k']);
    a.markDirty(0);
    assert.equal(a.changesSinceReplica(0), undefined);
    assert.throws(() => a.exportChanges(0), ProtocolError);
    a.matchesReplica(1);
    const parcel = a.exportKeyGroup(1);
    const b = new KeyedStateBackend(MP, []);
    b.trackChanges();
    b.adoptKeyGroup(1, parcel.tables, parcel.values, parcel.bytes);
    assert.equal(b.changesSinceReplica(1), undefined);
  });

  it('the exported change has containers of its own: installing it leaves the source untouched', () => {
    const a = new KeyedStateBackend(MP, [0]);
    a.trackChanges();
    a.matchesReplica(0);
    const replica = a.snapshotKeyGroup(0);
    a.setCurrentKey('k', 0);
    a.mapState<string, Uint8Array>('m1').put('x', Buffer.alloc(4, 7));
    const before = a.snapshotKeyGroup(0);
    const change = a.exportChanges(0);
    const b = new KeyedStateBackend(MP, []);
    b.restoreKeyGroup(0, replica, { copy: true });
    b.applyChanges(0, change, change.values.map((v) => Buffer.alloc(v.byteLength, 9)));
    assert.deepEqual(a.snapshotKeyGroup(0), before);
    assert.deepEqual([...(b.stateTable(0, 'm1')?.get('k') as Map<string, Uint8Array>).values()][0], Buffer.alloc(4, 9));
  });
});
