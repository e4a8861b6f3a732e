/**
 * The restart baseline: what Flink does natively to change an assignment. Stop the sources, let every record
 * in flight drain, snapshot all state of the operator (every key group, moving or not), redistribute it by
 * the target assignment, restore, switch routing and resume. Records keep their schedule while the job is
 * stopped, so the downtime shows up in latency. Timers: `sync` = stop and drain, `update` = snapshot and
 * restore, `endToEnd` = the whole downtime. Imports routing/ and migration/ only.
 */
import { ProtocolError } from '../../errors.ts';
import type { Assignment } from '../../core/assignment.ts';
import type { MechanismContext, MechanismProgress, MigrationMechanism, MigrationRequest, PlanCallback, PlanReport, PreparedMigration } from '../mechanism.ts';
import type { JobPort, SubtaskPort, TimerSink } from '../ports.ts';

const PHASES: readonly RestartPhase[] = ['waiting-checkpoint', 'draining', 'snapshotting', 'restoring'];

type RestartPhase = 'waiting-checkpoint' | 'draining' | 'snapshotting' | 'restoring';

interface RunningRestart {
  phase: RestartPhase;
  readonly reconfigId: number;
  readonly target: Assignment;
  readonly startMs: number;
  drainedMs: number;
  /** Key groups still to snapshot, as [subtask, kg]. */
  readonly toSnapshot: [number, number][];
  /** Snapshots as [kg, bytes, dirty]: a key group written since the last checkpoint stays dirty after the restore. */
  readonly snapshots: [number, Uint8Array, boolean][];
  readonly report: PlanReport;
  readonly done: PlanCallback;
}

export class RestartExecutor implements MigrationMechanism {
  readonly name = 'restart';
  private running: RunningRestart | undefined;
  private readonly job: JobPort;
  readonly operator: string;
  private readonly timers: TimerSink;
  private readonly nextReconfigId: () => number;
  private readonly subtasks: readonly SubtaskPort[];

  constructor(ctx: MechanismContext) {
    this.job = ctx.job;
    this.operator = ctx.operator;
    this.timers = ctx.timers;
    this.nextReconfigId = ctx.nextReconfigId;
    this.subtasks = ctx.subtasks;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  prepare(request: MigrationRequest): PreparedMigration {
    const current = this.job.assignment(this.operator);
    let keyGroups = 0;
    for (let kg = 0; kg < current.maxParallelism; kg++) if (current.ownerOf(kg) !== request.target.ownerOf(kg)) keyGroups++;
    return { mechanism: this.name, request, keyGroups };
  }

  progress(): MechanismProgress | undefined {
    const r = this.running;
    return r === undefined ? undefined : { done: PHASES.indexOf(r.phase), total: PHASES.length, unit: 'phase' };
  }

  nextDueMs(): number {
    return Infinity;
  }

  /** Starts a restart to the request's target; `done` is called synchronously from the step that finishes it. */
  start(prepared: PreparedMigration, done: PlanCallback): void {
    const target = prepared.request.target;
    if (this.running !== undefined) throw new ProtocolError('a restart is already running');
    const current = this.job.assignment(this.operator);
    if (target.maxParallelism !== current.maxParallelism || target.parallelism !== current.parallelism) {
      throw new ProtocolError('restart target must keep max parallelism and parallelism (rescaling empties subtasks instead)');
    }
    const startMs = this.job.elapsedMs();
    let moving = 0;
    const flags = new Uint8Array(current.maxParallelism);
    for (let kg = 0; kg < current.maxParallelism; kg++) {
      if (current.ownerOf(kg) !== target.ownerOf(kg)) {
        moving++;
        flags[kg] = 1;
      }
    }
    for (const s of this.subtasks) s.setMigrating(flags);
    this.running = {
      phase: 'waiting-checkpoint',
      reconfigId: this.nextReconfigId(),
      target,
      startMs,
      drainedMs: startMs,
      toSnapshot: [],
      snapshots: [],
      report: { chunks: 1, keyGroups: moving, bytes: 0, replicaRestores: 0, startMs, endMs: startMs, completionMs: 0 },
      done,
    };
    this.job.setCheckpointsPaused(true);
    this.job.pauseSources(true);
    this.job.emit({ event: 'restart_start', operator: this.operator, keyGroups: moving });
  }

  step(): boolean {
    const r = this.running;
    if (r === undefined) return false;
    try {
      switch (r.phase) {
        case 'waiting-checkpoint':
        case 'draining':
          if (this.job.checkpointInFlight() || !this.job.quiescent()) return false;
          r.drainedMs = this.job.elapsedMs();
          for (const s of this.subtasks) for (const kg of s.state.ownedKeyGroups()) r.toSnapshot.push([s.subtask, kg]);
          r.phase = 'snapshotting';
          return true;
        case 'snapshotting': {
          const next = r.toSnapshot.pop();
          if (next === undefined) {
            for (const s of this.subtasks) for (const kg of s.state.ownedKeyGroups()) s.state.release(kg);
            r.phase = 'restoring';
            return true;
          }
          const state = this.subtasks[next[0]].state;
          const bytes = state.snapshotKeyGroup(next[1]);
          // Restoring clears the flag; keep it, or the next checkpoint would skip the key group and a later
          // migration would restore its stale replica.
          r.snapshots.push([next[1], bytes, state.isDirty(next[1])]);
          r.report.bytes += bytes.byteLength;
          return true;
        }
        case 'restoring': {
          const next = r.snapshots.pop();
          if (next === undefined) {
            this.finish(r);
            return true;
          }
          const state = this.subtasks[r.target.ownerOf(next[0])].state;
          state.restoreKeyGroup(next[0], next[1]);
          if (next[2]) state.markDirty(next[0]);
          return true;
        }
      }
    } catch (err) {
      this.running = undefined;
      r.done(err, undefined);
      return true;
    }
  }

  private finish(r: RunningRestart): void {
    // Key groups nobody had state for yet still need an owner.
    for (let kg = 0; kg < r.target.maxParallelism; kg++) {
      const s = this.subtasks[r.target.ownerOf(kg)];
      if (!s.state.owns(kg)) s.state.adoptEmpty(kg);
    }
    const table = r.target.table();
    for (const router of this.job.routersInto(this.operator)) router.switchTable(table);
    this.job.setAssignment(this.operator, r.target);
    for (const s of this.subtasks) s.setMigrating(undefined);
    const endMs = this.job.elapsedMs();
    this.timers.timer(r.reconfigId, 0, 'sync', r.startMs, r.drainedMs - r.startMs);
    this.timers.timer(r.reconfigId, 0, 'update', r.drainedMs, endMs - r.drainedMs);
    this.timers.timer(r.reconfigId, 0, 'endToEnd', r.startMs, endMs - r.startMs);
    r.report.endMs = endMs;
    r.report.completionMs = endMs - r.startMs;
    this.running = undefined;
    this.job.pauseSources(false);
    this.job.setCheckpointsPaused(false);
    this.job.emit({ event: 'restart_end', downtimeMs: endMs - r.startMs, bytes: r.report.bytes });
    r.done(undefined, r.report);
  }
}
