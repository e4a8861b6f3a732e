/**
 * Moving state between subtasks, the same way for every mechanism, so that they all pay the same cost: a
 * shipment waits its turn in FIFO order; when it comes, the source's part of the state is taken out, the
 * copy thread copies its byte values into memory of the destination, the accounted bytes cross the emulated
 * link between their TaskManagers, and the destination installs the state. At most MAX_IN_FLIGHT_BYTES are
 * copied or on the wire at once (one shipment may always go, however large). Work runs in pieces, from the
 * owning mechanism's steps. Imports state/ types and migration/ only.
 */
import type { KeyGroupTables } from '../state/snapshot-codec.ts';
import type { Network } from './network.ts';
import type { JobPort, SubtaskPort } from './ports.ts';

/**
 * Most bytes of state being copied or on the wire at once. Copies need memory of the destination until the
 * source's memory comes back (at install); the cap keeps that extra memory small, while the copy thread
 * stays busy.
 */
export const MAX_IN_FLIGHT_BYTES = 64 * 2 ** 20;

/** State as it leaves a subtask: its tables, their byte values in walk order, and its accounted bytes. */
export interface Parcel {
  readonly tables: KeyGroupTables;
  readonly values: Uint8Array[];
  readonly bytes: number;
}

/** One unit of state to move (a key group, a bin, some keys), as its mechanism defines it. */
export interface Shipment {
  readonly src: SubtaskPort;
  readonly dst: SubtaskPort;
  /** Bytes it is expected to ship, for the in-flight cap (read when its turn comes). */
  estimate(): number;
  /**
   * Its turn came: takes the state out at the source (the source must not change it any more), or returns
   * undefined when nothing needs to cross (e.g. a clean replica at the destination).
   */
  take(): Parcel | undefined;
  /** The copy is done and the bytes go on the wire. */
  shipped?(parcel: Parcel): void;
  /**
   * At the destination once the bytes arrived: `copies` are the parcel's byte values in the destination's
   * memory (same walk order); install them and give the source's `parcel.values` back to its pool. Without a
   * parcel, install locally.
   */
  install(parcel: Parcel | undefined, copies: readonly Uint8Array[]): void;
}

interface Waiting {
  readonly shipment: Shipment;
  readonly parcel: Parcel;
  readonly copies: Uint8Array[];
}

interface Copying {
  readonly shipment: Shipment;
  readonly parcel: Parcel;
  readonly copies: Uint8Array[];
  readonly ticket: number;
}

export class StateTransfer {
  private readonly queue: Shipment[] = [];
  private head = 0;
  /** Shipments being copied, in submission order (the copy thread completes them in that order). */
  private readonly copying: Copying[] = [];
  /** Bytes of shipments taken and not installed yet. */
  private inFlightBytes = 0;
  /** Bytes shipped between subtasks so far (every parcel, whatever the TaskManagers). */
  bytesShipped = 0;

  constructor(
    private readonly job: JobPort,
    readonly network: Network,
  ) {}

  /** Queues a shipment behind those already waiting. */
  submit(s: Shipment): void {
    this.queue.push(s);
  }

  /** Shipments waiting, copying or on the wire. */
  get pending(): number {
    return this.queue.length - this.head + this.copying.length + this.network.pending + (this.waiting === undefined ? 0 : 1);
  }

  /** One piece of work: a delivery on a link, a copied parcel shipped, or a shipment started. */
  piece(): boolean {
    if (this.network.poll(1) > 0) return true;
    const c = this.copying[0];
    if (c !== undefined && c.shipment.dst.state.pool.copies.done(c.ticket)) {
      this.copying.shift();
      this.ship(c);
      return true;
    }
    if (this.waiting !== undefined) return this.resubmit(this.waiting);
    const next = this.queue[this.head];
    if (next === undefined || !this.start(next)) return false;
    if (++this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return true;
  }

  nextDueMs(): number {
    return this.network.nextDueMs();
  }

  /** Starts `s`; false when the copy thread or the cap has no room for it yet (nothing was done). */
  private start(s: Shipment): boolean {
    const tm = (t: SubtaskPort): number => this.job.taskManagerOf(t.label);
    if (this.inFlightBytes > 0 && this.inFlightBytes + s.estimate() > MAX_IN_FLIGHT_BYTES) return false;
    const parcel = s.take();
    if (parcel === undefined) {
      const at = tm(s.dst);
      this.network.send(at, at, 0, () => s.install(undefined, []));
      return true;
    }
    const copies = parcel.values.map((v) => s.dst.state.pool.take(v.byteLength));
    this.resubmit({ shipment: s, parcel, copies });
    return true;
  }

  /**
   * A taken parcel that waits for room in the copy thread's ring (the state is out of the source, so it
   * cannot go back to the queue): submitted before anything else starts. Returns whether it went.
   */
  private waiting: Waiting | undefined;

  private resubmit(w: Waiting): boolean {
    const ticket = w.shipment.dst.state.pool.copies.submit(w.parcel.values, w.copies);
    if (ticket === undefined) {
      this.waiting = w;
      return false;
    }
    this.waiting = undefined;
    this.inFlightBytes += w.parcel.bytes;
    this.copying.push({ ...w, ticket });
    return true;
  }

  private ship(c: Copying): void {
    const s = c.shipment;
    this.bytesShipped += c.parcel.bytes;
    s.shipped?.(c.parcel);
    this.network.send(this.job.taskManagerOf(s.src.label), this.job.taskManagerOf(s.dst.label), c.parcel.bytes, () => {
      s.install(c.parcel, c.copies);
      this.inFlightBytes -= c.parcel.bytes;
    });
  }
}
