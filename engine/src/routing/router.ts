/**
 * The sending side of an edge: puts each emitted record into the batch of the channel its partitioner
 * picks, hands full batches on, and broadcasts control events after flushing. For keyed edges the
 * partitioner is the key-group table, which a reconfiguration swaps right after forwarding its barrier.
 */
import { DEFAULT_BATCH_CAPACITY, type RecordBatch } from '../core/record-batch.ts';
import { javaHashCode, murmurHash, type Key } from '../core/key-group.ts';
import type { ControlEvent } from '../core/control-event.ts';
import type { Channel } from './channel.ts';

/** Extracts the key a keyed edge partitions by; by default the key the record was emitted with. */
export type KeySelector<V> = (value: V, key: Key | undefined) => Key;

/** What an operator emits into: the engine attaches the current record's scheduled time and sequence. */
export interface Collector<V> {
  collect(value: V, key?: Key): void;
}

/**
 * Routing below the key group, for mechanisms that move bins (see core/bins.ts): the records of a key group
 * flagged in `split` go to the owner of their bin, `owners[murmurHash(javaHashCode(key)) % owners.length]`.
 */
export interface BinRoutes {
  readonly split: Uint8Array;
  readonly owners: Int32Array;
}

/** How records pick a channel: by key group through a table, or forward by sender index. */
export type Partitioning<V> =
  | { kind: 'keyed'; maxParallelism: number; selector: KeySelector<V>; table: Int32Array }
  | { kind: 'forward' };

export class Router<V> implements Collector<V> {
  private readonly open: (RecordBatch<V> | undefined)[];
  /** Scheduled time and sequence of the record being processed; emitted records inherit them. */
  currentScheduledMs = 0;
  currentSeq = 0;
  /** Full batches handed to a channel by `collect` so far; a sender checks for room when it changes. */
  batchesHandedOn = 0;
  private table: Int32Array | undefined;
  private bins: BinRoutes | undefined;

  constructor(
    readonly channels: readonly Channel<V>[],
    private readonly partitioning: Partitioning<V>,
    /** Index of the sending subtask (forward edges send to `senderIndex % channels.length`). */
    private readonly senderIndex: number,
    private readonly batchCapacity: number = DEFAULT_BATCH_CAPACITY,
  ) {
    this.open = new Array(channels.length).fill(undefined);
    this.table = partitioning.kind === 'keyed' ? partitioning.table : undefined;
  }

  /** Whether every output channel can take another batch. */
  hasRoom(): boolean {
    for (const ch of this.channels) if (!ch.hasRoom()) return false;
    return true;
  }

  collect(value: V, key?: Key): void {
    const p = this.partitioning;
    let kg = -1;
    let target: number;
    let k: Key;
    if (p.kind === 'keyed') {
      k = p.selector(value, key);
      const hash = murmurHash(javaHashCode(k));
      kg = hash % p.maxParallelism;
      target = (this.table as Int32Array)[kg];
      const bins = this.bins;
      if (bins !== undefined && bins.split[kg] === 1) target = bins.owners[hash % bins.owners.length];
    } else {
      k = key ?? '';
      target = this.senderIndex % this.channels.length;
    }
    let batch = this.open[target];
    if (batch === undefined) batch = this.open[target] = this.channels[target].takeBatch(this.batchCapacity);
    batch.push(kg, k, value, this.currentScheduledMs, this.currentSeq);
    if (batch.full) {
      this.channels[target].push(batch);
      this.batchesHandedOn++;
      this.open[target] = undefined;
    }
  }

  /** Hands every partly filled batch to its channel. */
  flush(): void {
    for (let i = 0; i < this.open.length; i++) {
      const b = this.open[i];
      if (b !== undefined) {
        this.channels[i].push(b);
        this.open[i] = undefined;
      }
    }
  }

  /**
   * Flushes, then sends `event` on every channel: all records before it precede it everywhere. If a table
   * switch waits for this reconfiguration barrier, it happens right after: every record routed later follows
   * the barrier on its channel.
   */
  broadcast(event: ControlEvent): void {
    this.flush();
    for (const ch of this.channels) ch.push(event);
    if (event.kind !== 'reconfig' || this.pendingSwitches.length === 0) return;
    const i = this.pendingSwitches.findIndex((p) => p.reconfigId === event.id);
    if (i < 0) return;
    const pending = this.pendingSwitches[i];
    this.pendingSwitches.splice(i, 1);
    this.table = pending.table;
    this.bins = pending.bins;
  }

  /**
   * Arms a switch to `table` (and bin routes, if given) right after reconfiguration barrier `reconfigId`
   * passes through this router. Several may be armed at once (pipelined steps), each for its own barrier.
   */
  scheduleSwitch(reconfigId: number, table: Int32Array, bins?: BinRoutes): void {
    if (this.partitioning.kind !== 'keyed') throw new TypeError('scheduleSwitch on a forward edge');
    this.pendingSwitches.push({ reconfigId, table, bins });
  }
  private readonly pendingSwitches: { reconfigId: number; table: Int32Array; bins: BinRoutes | undefined }[] = [];

  /** Replaces the key-group table (and the bin routes: none unless given); records routed earlier go first. */
  switchTable(table: Int32Array, bins?: BinRoutes): void {
    if (this.partitioning.kind !== 'keyed') throw new TypeError('switchTable on a forward edge');
    this.flush();
    this.table = table;
    this.bins = bins;
  }

  get routingTable(): Int32Array | undefined {
    return this.table;
  }
}
