/**
 * Barrier alignment over a keyed subtask's input channels. A checkpoint barrier blocks the channel it came
 * on until it arrived on every input (aligned checkpoints, as Flink's); a reconfiguration barrier never blocks
 * a channel, but a next one waits at the head of its channel until the current one arrived everywhere. End
 * of stream counts as arrival. The task reacts through {@link AlignmentHooks}. Imports core/ and routing/.
 */
import type { Barrier, CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';
import { ProtocolError } from '../errors.ts';
import { isBatch, type ChannelItem } from '../routing/channel.ts';

export interface AlignmentHooks {
  /** A checkpoint barrier arrived on every input (not ended). */
  checkpointAligned(barrier: CheckpointBarrier): void;
  /** A reconfiguration barrier arrived on one input channel, before it aligned. */
  reconfigArrived(barrier: ReconfigBarrier, channel: number): void;
  /** A reconfiguration barrier arrived on every input (not ended). */
  reconfigAligned(barrier: ReconfigBarrier): void;
}

export class InputAlignment {
  /** Per input channel: 1 while blocked by checkpoint alignment (or ended, until the alignment in progress completes). */
  private readonly blocked: Uint8Array;
  /** Per input channel: 1 once end of stream arrived. */
  readonly ended: Uint8Array;
  private endedCount = 0;
  private checkpoint: CheckpointBarrier | undefined;
  private checkpointArrivals = 0;
  /** The reconfiguration barrier being aligned, and per input channel whether it arrived. */
  private reconfig: ReconfigBarrier | undefined;
  private readonly reconfigSeen: Uint8Array;

  constructor(
    private readonly label: string,
    private readonly channels: number,
    private readonly hooks: AlignmentHooks,
  ) {
    this.blocked = new Uint8Array(channels);
    this.ended = new Uint8Array(channels);
    this.reconfigSeen = new Uint8Array(channels);
  }

  /** True once end of stream arrived on every input. */
  get allEnded(): boolean {
    return this.endedCount === this.channels;
  }

  /** Whether channel `c` may be read (not blocked by a checkpoint's alignment, not ended). */
  readable(c: number): boolean {
    return this.blocked[c] === 0;
  }

  /** Whether `head`, the head of channel `c`, is a next reconfiguration barrier that must wait for the current one. */
  waits(c: number, head: ChannelItem<unknown>): boolean {
    return !isBatch(head) && head.kind === 'reconfig' && this.reconfigSeen[c] === 1;
  }

  onBarrier(c: number, barrier: Barrier): void {
    if (barrier.kind === 'reconfig') {
      if (this.reconfig === undefined) this.reconfig = barrier;
      else if (this.reconfig.id !== barrier.id) throw new ProtocolError(`${this.label}: reconfiguration barrier ${barrier.id} while aligning ${this.reconfig.id}`);
      this.reconfigSeen[c] = 1;
      this.hooks.reconfigArrived(barrier, c);
      this.maybeCompleteReconfig();
      return;
    }
    if (this.checkpoint === undefined) this.checkpoint = barrier;
    else if (this.checkpoint.id !== barrier.id) throw new ProtocolError(`${this.label}: checkpoint barrier ${barrier.id} while aligning ${this.checkpoint.id}`);
    this.blocked[c] = 1;
    this.checkpointArrivals++;
    this.maybeCompleteCheckpoint();
  }

  onEnd(c: number): void {
    this.ended[c] = 1;
    this.blocked[c] = 1; // nothing follows end of stream
    this.endedCount++;
    this.maybeCompleteCheckpoint();
    this.maybeCompleteReconfig();
  }

  private maybeCompleteCheckpoint(): void {
    const cp = this.checkpoint;
    if (cp === undefined || this.checkpointArrivals + this.endedCount < this.channels) return;
    this.hooks.checkpointAligned(cp);
    this.checkpoint = undefined;
    this.checkpointArrivals = 0;
    this.blocked.fill(0); // an ended channel is empty: reading it finds nothing
  }

  private maybeCompleteReconfig(): void {
    const rb = this.reconfig;
    if (rb === undefined) return;
    for (let c = 0; c < this.channels; c++) if (this.reconfigSeen[c] === 0 && this.ended[c] === 0) return;
    this.reconfig = undefined;
    this.reconfigSeen.fill(0);
    this.hooks.reconfigAligned(rb);
  }
}
