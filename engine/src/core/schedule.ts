/**
 * When the records of an open-loop source are due: a pure function from record index to scheduled time, so
 * the schedule never depends on how the job is doing. `RateProfile` (a piecewise-constant rate) is one;
 * a replayed recording (records in 50 ms slots, e.g. the Stock workload) is another. Imports nothing.
 */
export interface Schedule {
  /** Scheduled time of record `i`, ms after the source's start; non-decreasing in `i`. */
  timeOf(i: number): number;
  /** Number of records scheduled at or before `ms`: exactly the `i` with `timeOf(i) <= ms`. */
  dueBy(ms: number): number;
  /**
   * The schedule of source subtask `subtask` of `parallelism`, which emits every `parallelism`-th record
   * of the whole source starting at `subtask` (local index `i` is record `i * parallelism + subtask`).
   */
  forSubtask(subtask: number, parallelism: number): Schedule;
}
