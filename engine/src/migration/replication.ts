/**
 * Replication of key groups to standby stores (reference 3.6, 3.9): at each periodic checkpoint a subtask
 * of the operator snapshots its replicated key groups that changed since their last snapshot and puts them
 * into every TaskManager's replica store; other key groups just have their dirty flag cleared. Snapshots are
 * taken one key group per step; the subtask acknowledges the checkpoint after its last one, so the
 * checkpoint's duration (the `replication` timer) covers the work.
 */
import type { CheckpointParticipant, JobPort, SubtaskPort } from './ports.ts';
import { ReplicaStore } from './replica-store.ts';
import { PieceClock } from './pacing.ts';

interface ReplicationWork {
  readonly subtask: SubtaskPort;
  readonly kg: number;
  readonly checkpointId: number;
  /** Last work item of this subtask for this checkpoint: acknowledge after it. */
  readonly last: boolean;
}

export class Replication implements CheckpointParticipant {
  /** Indexed by key group: 1 when replicated. Only ever grows. */
  readonly replicated: Uint8Array;
  readonly stores: ReplicaStore[];
  private readonly queue: ReplicationWork[] = [];
  private head = 0;
  private readonly pieces: PieceClock;
  /** Snapshots put into the stores, and their bytes. */
  snapshots = 0;
  bytes = 0;

  constructor(
    private readonly job: JobPort,
    readonly operator: string,
    maxParallelism: number,
  ) {
    this.replicated = new Uint8Array(maxParallelism);
    this.pieces = new PieceClock(job.clock);
    this.stores = Array.from({ length: job.taskManagerCount }, (_, i) => new ReplicaStore(i));
  }

  /** Adds key groups to the replicated set (it never shrinks). */
  grow(keyGroups: Iterable<number>): void {
    for (const kg of keyGroups) this.replicated[kg] = 1;
  }

  replicatedList(): number[] {
    const out: number[] = [];
    for (let kg = 0; kg < this.replicated.length; kg++) if (this.replicated[kg] === 1) out.push(kg);
    return out;
  }

  onCheckpoint(subtask: SubtaskPort & { readonly name: string }, checkpointId: number): void {
    const state = subtask.state;
    const work: number[] = [];
    if (subtask.name === this.operator) {
      for (const kg of state.ownedKeyGroups()) {
        if (state.isDirty(kg) && this.replicated[kg] === 1) work.push(kg);
        else state.clearDirty(kg);
      }
    } else {
      state.clearAllDirty();
    }
    if (work.length === 0) {
      this.job.acknowledgeCheckpoint(subtask.label, checkpointId);
      return;
    }
    work.forEach((kg, i) => this.queue.push({ subtask, kg, checkpointId, last: i === work.length - 1 }));
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /**
   * Replicates one key group; returns false when there was nothing to do. With `untilMs` (job-clock time,
   * the end of a gap before the next record is due) only when the snapshot is expected to end by then.
   */
  step(untilMs?: number): boolean {
    if (this.head >= this.queue.length) return false;
    return this.pieces.runOne(untilMs, () => this.replicateNext());
  }

  private replicateNext(): boolean {
    const w = this.queue[this.head++];
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (w.subtask.state.owns(w.kg)) {
      const bytes = w.subtask.state.snapshotKeyGroup(w.kg);
      for (const store of this.stores) store.put(this.operator, w.kg, bytes);
      w.subtask.state.clearDirty(w.kg);
      w.subtask.state.matchesReplica(w.kg);
      this.snapshots++;
      this.bytes += bytes.byteLength;
    }
    if (w.last) this.job.acknowledgeCheckpoint(w.subtask.label, w.checkpointId);
    return true;
  }
}
