/**
 * Q5 and Q8 results as CSV lines, the format the Flink job (workloads/flink NexmarkJob) writes to
 * `results/<operator>-<subtask>.csv` after its `deployment` column: the harness's check and the Java tests'
 * expected-result fixtures compare these lines. No field holds a comma (names come from fixed lists).
 * Imports the workload's types only.
 */
import type { AuctionCount } from './queries/q5-hot-items.ts';
import type { NewUser } from './queries/q8-new-users.ts';

/** The queries with a results format here (those the Flink job runs). */
export type ResultQuery = 'q5' | 'q8';

/** The header of each query's result fields. */
export const RESULT_FIELDS: Readonly<Record<ResultQuery, string>> = {
  q5: 'auction,count,window_end',
  q8: 'id,name,auction,reserve,window_start',
};

/** One result's line (q5: a window's hot item; q8: a new user and their auction). */
export function resultLine(query: ResultQuery, r: unknown): string {
  if (query === 'q5') {
    const c = r as AuctionCount;
    return `${c.auction},${c.count},${c.windowEnd}`;
  }
  const u = r as NewUser;
  return `${u.id},${u.name},${u.auction},${u.reserve},${u.windowStart}`;
}
