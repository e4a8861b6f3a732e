/**
 * Meces's gradual background fetch, as pure functions: which key groups move (from, to), and the next
 * round. A round takes, per old owner in ascending order, its first key group still to move, at most one
 * key group per old owner and at most `batch` in all (the artifact's StateDutyManager.migrateOneBatch);
 * key groups whose bins were all fetched already (on demand) are skipped and dropped. Imports routing/ only.
 */
import type { Assignment } from '../../core/assignment.ts';

export interface KeyGroupMove {
  readonly keyGroup: number;
  readonly from: number;
  readonly to: number;
}

/** Every key group whose owner differs between `current` and `target`, ascending. */
export function keyGroupMoves(current: Assignment, target: Assignment): KeyGroupMove[] {
  const out: KeyGroupMove[] = [];
  for (let kg = 0; kg < current.maxParallelism; kg++) {
    const from = current.ownerOf(kg);
    const to = target.ownerOf(kg);
    if (from !== to) out.push({ keyGroup: kg, from, to });
  }
  return out;
}

/** Per old owner (index = subtask), the key groups it gives up, ascending (the background fetch order). */
export function queuesBySource(moves: readonly KeyGroupMove[], parallelism: number): number[][] {
  const queues: number[][] = Array.from({ length: parallelism }, () => []);
  for (const m of moves) queues[m.from].push(m.keyGroup);
  for (const q of queues) q.sort((a, b) => a - b);
  return queues;
}

/**
 * The next round from `queues` (per old owner, what is left to fetch): at most one key group per old owner,
 * at most `batch` in all, skipping (and dropping) key groups at the head of a queue for which `fetched(kg)`
 * holds. Returns the round's key groups and the queues after it (the inputs are not changed). An empty round
 * means nothing is left to fetch.
 */
export function planRound(queues: readonly (readonly number[])[], fetched: (kg: number) => boolean, batch: number): { round: number[]; queues: number[][] } {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`meces: fetch_batch must be a whole number >= 1, got ${batch}`);
  const rest = queues.map((q) => [...q]);
  const round: number[] = [];
  for (const q of rest) {
    if (round.length >= batch) break;
    // Only the heads are looked at: a key group fetched later on demand is dropped when it comes up.
    while (q.length > 0 && fetched(q[0])) q.shift();
    const kg = q.shift();
    if (kg !== undefined) round.push(kg);
  }
  return { round, queues: rest };
}

/** How many rounds the background fetch takes when nothing is fetched on demand (an upper bound). */
export function roundCount(queues: readonly (readonly number[])[], batch: number): number {
  let q = queues.map((x) => [...x]);
  let n = 0;
  for (;;) {
    const r = planRound(q, () => false, batch);
    if (r.round.length === 0) return n;
    q = r.queues;
    n++;
  }
}
