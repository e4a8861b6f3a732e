// The replay schedule: every record of slot k is due at k x 50 ms; a subtask's share is every p-th record;
// empty slots are passed over.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SlotSchedule, TapeBuilder, slotOf } from './order-tape.ts';
import type { OrderRecord } from './order-record.ts';

const rec = (n: number): OrderRecord => ({ orderNo: n, code: 'A', timestamp: 0, price: 1, executedVolume: 0, volume: 100, security: 's', account: 'a', direction: 'B' });

describe('stock > order-tape', () => {
  it('TapeBuilder cuts records into slots at each end; records after the last end form a slot', () => {
    const b = new TapeBuilder();
    b.add(rec(0));
    b.add(rec(1));
    b.endSlot();
    b.endSlot(); // empty slot
    b.add(rec(2));
    b.endSlot();
    b.add(rec(3));
    const tape = b.build();
    assert.deepEqual([...tape.slotStarts], [0, 2, 2, 3, 4]);
    assert.deepEqual([0, 1, 2, 3].map((g) => slotOf(tape.slotStarts, g)), [0, 0, 2, 3]);
    const s = new SlotSchedule(tape.slotStarts);
    assert.deepEqual([0, 1, 2, 3].map((i) => s.timeOf(i)), [0, 0, 100, 150]);
    assert.deepEqual([-1, 0, 49.9, 50, 99, 100, 149, 150, 1e9].map((ms) => s.dueBy(ms)), [0, 2, 2, 2, 2, 3, 3, 4, 4]);
  });

  it('for any slots and subtasks: dueBy counts exactly the records with timeOf <= ms, and subtasks share the records', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (counts, p) => {
        const starts = [0];
        for (const c of counts) starts.push(starts[starts.length - 1] + c);
        const total = starts[starts.length - 1];
        const whole = new SlotSchedule(Float64Array.from(starts));
        const covered: number[] = [];
        for (let s = 0; s < p; s++) {
          const sub = whole.forSubtask(s, p);
          const n = Math.floor(total / p) + (s < total % p ? 1 : 0);
          for (let i = 0; i < n; i++) {
            assert.equal(sub.timeOf(i), whole.timeOf(i * p + s));
            covered.push(i * p + s);
          }
          for (let ms = -50; ms <= counts.length * 50 + 50; ms += 25) {
            let due = 0;
            while (due < n && sub.timeOf(due) <= ms) due++;
            assert.equal(sub.dueBy(ms), due, `subtask ${s} of ${p}, ${ms} ms`);
          }
        }
        assert.deepEqual(covered.sort((a, b) => a - b), Array.from({ length: total }, (_, i) => i));
      }),
    );
  });
});
