/**
 * Per-subtask collector of per-record latency: writes each measurement into preallocated typed arrays and hands
 * full chunks to a sink, so the hot path never allocates. Imports nothing from experiments.
 */
import { InvalidConfigError } from '../errors.ts';
import { DEFAULT_LATENCY_CHUNK_CAPACITY, DEFAULT_LATENCY_CHUNK_SPAN_MS } from './latency-chunk.ts';
import type { LatencyChunk, LatencySink } from './latency-chunk.ts';

/**
 * Buffers the latency measurements of one operator subtask. `record` costs four array stores; every
 * `capacity` records the filled arrays go to the sink as one {@link LatencyChunk} and fresh arrays are
 * allocated, because the sink may transfer the old buffers to another thread. A chunk is also handed over
 * once it spans `maxSpanMs` of completion time, so a slow subtask's records reach the sink within about that
 * long (per-second statistics are finalized a few seconds behind). Call `flush` at the end of a run (or
 * whenever the sink should see the records so far) to hand over a partial chunk.
 */
export class LatencyBuffer {
  /** Operator name, copied into every chunk. */
  readonly operator: string;
  /** Subtask index, copied into every chunk. */
  readonly subtask: number;
  /** Records per chunk. */
  readonly capacity: number;
  /** Completion-time span (ms) after which a partial chunk is handed over. */
  readonly maxSpanMs: number;
  private readonly sink: LatencySink;
  private size = 0;
  private emitted = 0;
  /** Completion time at which the current chunk is handed over even if not full. */
  private spanEnd = Infinity;
  private tsMs!: Float64Array;
  private keyGroup!: Int32Array;
  private latencyMs!: Float64Array;
  private migrating!: Uint8Array;

  /**
   * @param operator operator name (kept verbatim)
   * @param subtask subtask index
   * @param sink receiver of the chunks
   * @param capacity records per chunk, a positive integer
   * @param maxSpanMs hand a partial chunk over once its records span this much completion time (`Infinity`:
   *   only when full)
   * @throws InvalidConfigError when `capacity` is not a positive integer or `maxSpanMs` is not positive
   */
  constructor(
    operator: string, subtask: number, sink: LatencySink,
    capacity = DEFAULT_LATENCY_CHUNK_CAPACITY, maxSpanMs = DEFAULT_LATENCY_CHUNK_SPAN_MS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 26) {
      throw new InvalidConfigError('capacity', capacity, 'an integer from 1 to 2^26');
    }
    if (!(maxSpanMs > 0)) throw new InvalidConfigError('maxSpanMs', maxSpanMs, 'a positive number of ms or Infinity');
    this.maxSpanMs = maxSpanMs;
    this.operator = operator;
    this.subtask = subtask;
    this.sink = sink;
    this.capacity = capacity;
    this.allocate();
  }

  /**
   * Records one completed record. Hot path: no allocation except when a chunk is full.
   * @param tsMs completion time in ms since the run's start
   * @param keyGroup the record's key group
   * @param latencyMs completion time minus scheduled emission time, in ms
   * @param migrating whether the key group belongs to a migration plan in progress (`true` or any nonzero
   *   number, so a caller may pass an entry of its own `Uint8Array` of flags directly)
   */
  record(tsMs: number, keyGroup: number, latencyMs: number, migrating: boolean | number): void {
    const i = this.size;
    if (i === 0) this.spanEnd = tsMs + this.maxSpanMs;
    this.tsMs[i] = tsMs;
    this.keyGroup[i] = keyGroup;
    this.latencyMs[i] = latencyMs;
    this.migrating[i] = migrating ? 1 : 0;
    this.size = i + 1;
    if (this.size === this.capacity || tsMs >= this.spanEnd) this.emit();
  }

  /** Hands the records buffered so far to the sink as a partial chunk; does nothing when there are none. */
  flush(): void {
    if (this.size > 0) this.emit();
  }

  /** Records buffered and not yet handed to the sink. */
  get pending(): number {
    return this.size;
  }

  /** Records handed to the sink so far. */
  get delivered(): number {
    return this.emitted;
  }

  private emit(): void {
    const chunk: LatencyChunk = {
      operator: this.operator,
      subtask: this.subtask,
      size: this.size,
      tsMs: this.tsMs,
      keyGroup: this.keyGroup,
      latencyMs: this.latencyMs,
      migrating: this.migrating,
    };
    // Fresh arrays before the hand-over: the sink owns the old ones, and a throwing sink leaves us usable.
    this.allocate();
    this.emitted += chunk.size;
    this.size = 0;
    this.sink.accept(chunk);
  }

  private allocate(): void {
    this.tsMs = new Float64Array(this.capacity);
    this.keyGroup = new Int32Array(this.capacity);
    this.latencyMs = new Float64Array(this.capacity);
    this.migrating = new Uint8Array(this.capacity);
  }
}
