/**
 * The links between TaskManagers. By default they run at memory speed (delivery at once); with a bandwidth
 * and a latency each directed link sends one payload at a time, so a large transfer delays the next one as on
 * a real wire. Transfers inside one TaskManager are always immediate. Imports core/ types only.
 */
import type { Clock } from '../core/clock.ts';

interface InFlight {
  readonly dueMs: number;
  readonly deliver: () => void;
}

export class Network {
  private readonly busyUntil = new Map<string, number>();
  private readonly inFlight: InFlight[] = [];
  /** Bytes sent between different TaskManagers. */
  bytesSent = 0;

  constructor(
    private readonly clock: Clock,
    /** Megabytes per second per link; 0 = memory speed. */
    readonly bandwidthMBps: number,
    /** One-way latency per transfer, ms. */
    readonly latencyMs: number,
  ) {}

  /** Sends `bytes` from TaskManager `from` to `to`; `deliver` runs when they have arrived (from `poll`). */
  send(from: number, to: number, bytes: number, deliver: () => void): void {
    const now = this.clock.now();
    if (from === to || (this.bandwidthMBps === 0 && this.latencyMs === 0)) {
      if (from !== to) this.bytesSent += bytes;
      this.inFlight.push({ dueMs: now, deliver });
      return;
    }
    this.bytesSent += bytes;
    const link = `${from}->${to}`;
    const start = Math.max(now, this.busyUntil.get(link) ?? 0);
    const wireMs = this.bandwidthMBps > 0 ? bytes / (this.bandwidthMBps * 1000) : 0;
    this.busyUntil.set(link, start + wireMs);
    this.inFlight.push({ dueMs: start + wireMs + this.latencyMs, deliver });
  }

  /** Delivers at most `max` transfers that have arrived; returns how many. */
  poll(max: number): number {
    const now = this.clock.now();
    let n = 0;
    for (let i = 0; i < this.inFlight.length && n < max; ) {
      if (this.inFlight[i].dueMs <= now) {
        const [t] = this.inFlight.splice(i, 1);
        n++;
        t.deliver();
      } else i++;
    }
    return n;
  }

  nextDueMs(): number {
    let due = Infinity;
    for (const t of this.inFlight) if (t.dueMs < due) due = t.dueMs;
    return due;
  }

  get pending(): number {
    return this.inFlight.length;
  }
}
