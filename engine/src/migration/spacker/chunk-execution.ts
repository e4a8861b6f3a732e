/**
 * The bookkeeping of one chunk in flight: its key-group machines, which subtasks have aligned on its barrier,
 * and its timestamps. The chunk itself moves through an explicit state machine:
 *   preparing -inject-> synchronizing -aligned-> transferring -drained-> completed
 * (key groups may already transfer while other subtasks are still synchronizing). Imports control/ types.
 */
import type { Chunk } from '../../control/plan.ts';
import { IllegalTransitionError } from '../../errors.ts';
import type { Assignment } from '../../core/assignment.ts';
import type { TransitionObserver } from '../mechanism.ts';
import { KeyGroupMachine } from './key-group-machine.ts';

export type ChunkPhase = 'preparing' | 'synchronizing' | 'transferring' | 'completed';
type ChunkEvent = 'inject' | 'aligned' | 'drained';

const CHUNK_TRANSITIONS: Readonly<Record<ChunkPhase, Readonly<Partial<Record<ChunkEvent, ChunkPhase>>>>> = {
  preparing: { inject: 'synchronizing' },
  synchronizing: { aligned: 'transferring' },
  transferring: { drained: 'completed' },
  completed: {},
};

export class ChunkExecution {
  phase: ChunkPhase = 'preparing';
  /** Subtasks of the operator that have aligned on this chunk's barrier. */
  readonly aligned = new Set<number>();
  /** Key groups not yet drained at their destination. */
  remaining: number;
  prepareMs = 0;
  injectMs = 0;
  alignedMs = 0;
  doneMs = 0;
  /** Bytes shipped for this chunk, and key groups restored from a local replica instead. */
  bytes = 0;
  replicaRestores = 0;
  /**
   * True when every source had ended as the chunk started, so no barrier could flow: routing never changes
   * again, destinations hold nothing, a subtask counts as aligned once all its inputs have ended, and a key
   * group is done once installed.
   */
  barrierless = false;

  constructor(
    /** Global, monotonic id of this chunk's reconfiguration barrier (from 1). */
    readonly reconfigId: number,
    readonly chunk: Chunk,
    /** The assignment in force once this chunk completes. */
    readonly next: Assignment,
    /** The chunk's key-group machines, by key group (see {@link ChunkExecution.machinesOf}). */
    readonly machines: ReadonlyMap<number, KeyGroupMachine>,
  ) {
    this.remaining = chunk.moves.length;
  }

  /** A fresh machine for every move of `chunk`, by key group. */
  static machinesOf(chunk: Chunk, observer?: TransitionObserver): Map<number, KeyGroupMachine> {
    const machines = new Map<number, KeyGroupMachine>();
    for (const m of chunk.moves) machines.set(m.keyGroup, new KeyGroupMachine(m.keyGroup, m.from, m.to, observer));
    return machines;
  }

  apply(event: ChunkEvent): void {
    const next = CHUNK_TRANSITIONS[this.phase][event];
    if (next === undefined) throw new IllegalTransitionError(`chunk ${this.chunk.seq}`, this.phase, event);
    this.phase = next;
  }

  /** Key groups that subtask `s` sends in this chunk. */
  outgoing(s: number): KeyGroupMachine[] {
    return [...this.machines.values()].filter((m) => m.from === s);
  }
}
