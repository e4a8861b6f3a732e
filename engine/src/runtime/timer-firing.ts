/**
 * Event time at a keyed subtask: the input watermark (the minimum over its inputs' last watermarks, an ended
 * input no longer holding it back), firing the timers it made due, and the watermark forwarded downstream.
 * A migration changes firing: timers of key groups in a migration in progress, or whose records go through
 * the gate, wait until the key group is settled here (records of the same event time may sit at the other
 * subtask or in the held buffer); they are looked at again every few ms and as soon as a key group finished
 * draining. The forwarded watermark stays at or below the earliest timer still waiting, and does not move
 * while records are held, so that what those timers and records emit later is never behind it. A pass stops
 * after half a step's budget and goes on at the next step (records are newer than every due timer, so they
 * cannot change what those timers emit); nothing is forwarded until the pass ends. Imports state/ and core/.
 */
import type { Clock } from '../core/clock.ts';
import type { Key } from '../core/key-group.ts';
import type { TimerService } from '../state/timer-service.ts';
import { STEP_BUDGET_MS } from './task.ts';

/** Most of a step's time that firing timers may take: records go on in the rest, so a window end never stalls them. */
const TIMER_BUDGET_MS = STEP_BUDGET_MS / 2;

/** While due timers wait for their key group's migration to end, how often to look again, ms. */
const FROZEN_TIMER_RETRY_MS = 10;

/** What firing needs of its subtask. */
export interface TimerHost {
  /** Whether `kg`'s timers may fire here now (not in a migration, its records not going through the gate). */
  settled(kg: number): boolean;
  /** Records are set aside or key groups watched: the watermark is not forwarded. */
  holding(): boolean;
  /** Fires one timer of `key` (undefined: the operator has no timers). */
  readonly onTimer: ((key: Key, kg: number, timestampMs: number) => void) | undefined;
  /** Sends a watermark downstream (undefined: nothing is downstream). */
  readonly forward: ((watermarkMs: number) => void) | undefined;
}

export class TimerFiring {
  /** Event time reached on every input (Infinity once all ended). */
  watermarkMs = -Infinity;
  /** Per input channel: the last watermark it delivered. */
  private readonly channelWatermark: Float64Array;
  /** The last watermark sent downstream. */
  private forwardedWatermark = -Infinity;
  /** Due timers are waiting for their key groups' migration to end (looked at again every few ms). */
  private frozen = false;
  /** The key groups whose due timers wait. */
  private readonly frozenKeyGroups: number[] = [];
  private checkedMs = -Infinity;
  /** A key group finished draining: its timers may be due now. */
  private recheckPending = false;
  /** A firing pass ran out of time: it goes on from this key group at the next step (-1: none pending). */
  private from = -1;
  /** Earliest waiting timer seen so far by the pass in progress. */
  private frozenMin = Infinity;
  /** Input watermark when the pass in progress started: every key group it passed fired up to it. */
  private passWatermark = -Infinity;

  constructor(
    channels: number,
    private readonly timers: TimerService,
    private readonly maxParallelism: number,
    private readonly clock: Clock,
    private readonly host: TimerHost,
  ) {
    this.channelWatermark = new Float64Array(channels).fill(-Infinity);
  }

  /** Whether firing has anything to do or watch (a step must not skip it). */
  get pending(): boolean {
    return this.from >= 0 || this.recheckPending || this.frozen;
  }

  /** Whether the subtask may end: no pass in progress, no due timer waiting. */
  get idle(): boolean {
    return !this.frozen && this.from < 0;
  }

  /** Whether a pass should run at a step starting at `start`. */
  due(start: number): boolean {
    return this.from >= 0 || this.recheckPending || (this.frozen && start - this.checkedMs >= FROZEN_TIMER_RETRY_MS && this.anyFrozenSettled());
  }

  /** A key group settled (unwatched, drained): its waiting timers may fire at the next step. */
  recheck(): void {
    this.recheckPending = true;
  }

  /** A watermark arrived on channel `c` (inputs `ended` no longer count). */
  onWatermark(c: number, timestampMs: number, ended: Uint8Array): void {
    if (timestampMs <= this.channelWatermark[c]) return;
    this.channelWatermark[c] = timestampMs;
    this.advance(ended);
  }

  /** Recomputes the input watermark over the inputs not `ended`; fires timers when it moved. */
  advance(ended: Uint8Array): void {
    let w = Infinity;
    for (let c = 0; c < this.channelWatermark.length; c++) if (ended[c] === 0 && this.channelWatermark[c] < w) w = this.channelWatermark[c];
    if (w <= this.watermarkMs) return;
    this.watermarkMs = w;
    // A pass in progress goes on with the new watermark; otherwise one starts.
    if (this.from < 0) this.fire(this.clock.now());
  }

  private anyFrozenSettled(): boolean {
    this.checkedMs = this.clock.now();
    for (const kg of this.frozenKeyGroups) if (this.host.settled(kg)) return true;
    return false;
  }

  /** Fires the timers due at the input watermark, within TIMER_BUDGET_MS from `start` (see the module's comment). */
  fire(start: number): void {
    this.recheckPending = false;
    this.checkedMs = start;
    if (this.from < 0) {
      this.from = 0;
      this.frozenMin = Infinity;
      this.passWatermark = this.watermarkMs;
      this.frozenKeyGroups.length = 0;
    }
    const onTimer = this.host.onTimer;
    if (onTimer !== undefined) {
      const pass = this.timers.advance(this.watermarkMs, (kg) => this.host.settled(kg), onTimer, {
        from: this.from,
        skipped: this.frozenKeyGroups,
        outOfTime: () => this.clock.now() - start >= TIMER_BUDGET_MS,
      });
      this.frozenMin = Math.min(this.frozenMin, pass.frozenMin);
      if (pass.next < this.maxParallelism) {
        this.from = pass.next;
        return;
      }
    }
    this.from = -1;
    const frozenMin = this.frozenMin;
    const passed = this.passWatermark;
    this.frozen = frozenMin !== Infinity && frozenMin <= passed;
    // The watermark moved during the pass: the key groups it had passed need another.
    if (this.watermarkMs > passed) this.recheckPending = true;
    const forward = this.host.forward;
    if (forward === undefined || this.host.holding()) return;
    const w = Math.min(passed, frozenMin);
    if (w > this.forwardedWatermark && w !== Infinity) {
      this.forwardedWatermark = w;
      forward(w);
    }
  }
}
