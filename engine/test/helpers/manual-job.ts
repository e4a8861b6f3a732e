// Helpers for scenario tests that drive a Job by hand on a ManualClock: a source function that emits its
// local index under a few keys, a keyed function that records every record it sees, and the drive loop.
import type { ManualClock } from '../../src/core/clock.ts';
import type { Key } from '../../src/core/key-group.ts';
import type { Collector } from '../../src/routing/router.ts';
import type { Job } from '../../src/runtime/job.ts';
import type { KeyedStateBackend } from '../../src/state/keyed-state-backend.ts';
import type { KeyedContext, KeyedFunction, OperatorInfo, SourceFunction } from '../../src/runtime/task.ts';

/** What a source emits: which source (tag), which subtask, which local index. */
export interface Emitted {
  readonly tag: string;
  readonly subtask: number;
  readonly index: number;
}

/** Emits `{tag, subtask, index}` under key `k<(index * p + subtask) % nKeys>`. */
export class IndexSource implements SourceFunction<Emitted> {
  constructor(
    readonly subtask: number,
    readonly parallelism: number,
    readonly nKeys: number,
    readonly tag = '',
  ) {}

  emit(index: number, _offsetMs: number, out: Collector<Emitted>): void {
    out.collect({ tag: this.tag, subtask: this.subtask, index }, `k${(index * this.parallelism + this.subtask) % this.nKeys}`);
  }
}

/** One record as a keyed function saw it. */
export interface Seen {
  readonly operatorSubtask: number;
  readonly input: number;
  readonly key: Key;
  readonly keyGroup: number;
  readonly seq: number;
  readonly scheduledMs: number;
  readonly processedMs: number;
  readonly value: unknown;
}

/**
 * Records every record into `log`, then runs `inner` (if any) and forwards what it emits; without `inner`
 * it passes the value on under the same key.
 */
export class RecordingFunction implements KeyedFunction<unknown, unknown> {
  constructor(
    readonly subtask: number,
    readonly log: Seen[],
    private readonly clock: { now(): number },
    private readonly inner?: KeyedFunction<unknown, unknown>,
  ) {}

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.inner?.open?.(state, info);
  }

  processElement(value: unknown, ctx: KeyedContext<unknown>, input: number): void {
    this.log.push({
      operatorSubtask: ctx.subtask,
      input,
      key: ctx.key,
      keyGroup: ctx.keyGroup,
      seq: ctx.seq,
      scheduledMs: ctx.scheduledMs,
      processedMs: this.clock.now(),
      value,
    });
    if (this.inner !== undefined) this.inner.processElement(value, ctx, input);
    else ctx.collect(value, ctx.key);
  }
}

/**
 * Advances the clock by `stepMs` and runs the job until idle, until the job is done or the clock reaches
 * `untilMs` (relative to the job's start). Returns the number of steps taken.
 */
export function drive(job: Job, clock: ManualClock, stepMs: number, untilMs = Infinity): number {
  let steps = 0;
  job.runUntilIdle();
  while (!job.done && clock.now() - job.startMs < untilMs) {
    clock.advance(stepMs);
    job.runUntilIdle();
    steps++;
    if (steps > 10_000_000) throw new Error('drive: the job does not finish');
  }
  return steps;
}

/** What a checkpoint hook saw at one keyed subtask: its dirty key groups, and how far the record log was. */
export interface CheckpointSeen {
  readonly operator: string;
  readonly subtask: number;
  readonly id: number;
  readonly dirty: readonly number[];
  readonly logLength: number;
}

/** Records, at every aligned checkpoint of every keyed subtask, the dirty key groups before they are cleared. */
export function watchCheckpoints(job: Job, log: readonly Seen[]): CheckpointSeen[] {
  const seen: CheckpointSeen[] = [];
  job.checkpointParticipant = {
    onCheckpoint(task, id) {
      seen.push({ operator: task.name, subtask: task.subtask, id, dirty: dirtyKeyGroups(task.state), logLength: log.length });
      task.state.clearAllDirty();
      job.acknowledgeCheckpoint(task.label, id);
    },
  };
  return seen;
}

/** Key groups of `state` written since the last checkpoint, ascending. */
export function dirtyKeyGroups(state: KeyedStateBackend): number[] {
  const out: number[] = [];
  for (let kg = 0; kg < state.maxParallelism; kg++) if (state.isDirty(kg)) out.push(kg);
  return out;
}

/**
 * The key groups subtask `subtask` wrote between two points of the record log (as `wrote` tells from a
 * record), ascending: what its dirty flags must be at a checkpoint if the previous one cleared them.
 */
export function writtenBetween(log: readonly Seen[], from: number, to: number, subtask: number, wrote: (r: Seen) => boolean): number[] {
  const kgs = new Set<number>();
  for (let i = from; i < to; i++) if (log[i].operatorSubtask === subtask && wrote(log[i])) kgs.add(log[i].keyGroup);
  return [...kgs].sort((a, b) => a - b);
}
