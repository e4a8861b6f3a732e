/**
 * Nexmark Q11, user sessions (`window`): bids per bidder in event-time session windows (a session ends
 * after `gap` ms without a bid), keyed by bidder. Per key the state lists the open sessions as
 * `[start, end, count, timer]` (end = last bid + gap); bids out of order merge sessions. Each session has one
 * timer at or before its end; when it fires early (the session grew) it is set again at the new end, so a
 * busy bidder costs one timer per gap, not one per bid.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, OperatorInfo, TimerService, ValueState } from '../../../../engine/src/index.ts';
import type { Bid } from '../model.ts';

export const Q11_OPERATOR = 'window';

/** One closed session of a bidder: bids in [start, end), end = last bid + gap. */
export interface BidderSession {
  readonly bidder: number;
  readonly count: number;
  readonly start: number;
  readonly end: number;
}

type Session = [start: number, end: number, count: number, timer: number];

export class SessionCount implements KeyedFunction<Bid, BidderSession> {
  private sessions!: ValueState<Session[]>;
  private timers!: TimerService;

  constructor(readonly gapMs: number) {
    if (!(gapMs > 0)) throw new RangeError(`session gap must be > 0 ms, got ${gapMs}`);
  }

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.sessions = state.valueState<Session[]>('q11-sessions');
    this.timers = info.timers;
  }

  processElement(bid: Bid, ctx: KeyedContext<BidderSession>): void {
    const t = bid.dateTime;
    const sessions = this.sessions.value() ?? [];
    let merged: Session = [t, t + this.gapMs, 1, Infinity];
    const rest: Session[] = [];
    for (const s of sessions) {
      if (s[0] < merged[1] && merged[0] < s[1]) merged = [Math.min(s[0], merged[0]), Math.max(s[1], merged[1]), s[2] + merged[2], Math.min(s[3], merged[3])];
      else rest.push(s);
    }
    if (merged[3] === Infinity) {
      merged[3] = merged[1];
      this.timers.register(ctx.key, ctx.keyGroup, merged[3]);
    }
    rest.push(merged);
    this.sessions.update(rest);
  }

  onTimer(ts: number, ctx: KeyedContext<BidderSession>): void {
    const sessions = this.sessions.value() ?? [];
    const rest: Session[] = [];
    for (const s of sessions) {
      if (s[3] !== ts) rest.push(s);
      else if (s[1] <= ts) ctx.collect({ bidder: ctx.key as number, count: s[2], start: s[0], end: s[1] });
      else {
        s[3] = s[1];
        this.timers.register(ctx.key, ctx.keyGroup, s[3]);
        rest.push(s);
      }
    }
    if (rest.length === 0) this.sessions.clear();
    else this.sessions.update(rest);
  }
}
