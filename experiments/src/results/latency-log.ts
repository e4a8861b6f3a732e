/**
 * The harness's latency sink: forwards each chunk, zero copy, to a worker thread that writes the per-record
 * CSV files (and optionally the reference's `.output` files) and computes the per-second series.
 */
import type { Worker } from 'node:worker_threads';
import { IoError, ProtocolError, siblingModule, startWorker } from '../../../engine/src/index.ts';
import type { LatencyChunk, LatencySink } from '../../../engine/src/index.ts';
import type { LatencySeriesPoint, LatencyStats } from './latency-log-series.ts';

export type { LatencySeriesPoint, LatencyStats } from './latency-log-series.ts';

/** Where and how a {@link LatencyLog} writes. */
export interface LatencyLogOptions {
  /** The run's folder: gets `latency/<operator>-<subtask>.csv` and `series.csv`. */
  runDir: string;
  /** Wall-clock time (epoch ms) of the run's start, i.e. of `tsMs = 0`. */
  startEpochMs: number;
  /** When set, also write the reference's `<operator>-<subtask>.output` files into this folder. */
  spectorDir?: string;
}

/** Headline latency figures of a run, as computed by the worker. */
export interface LatencyLogSummary {
  /** Records received. */
  records: number;
  /** Records per subtask index (as a string). */
  perSubtask: Record<string, number>;
  /** Over every record of the run. */
  overall: LatencyStats;
  /** Over the records whose key group was migrating. */
  overallMigrating: LatencyStats;
  /** Over the other records. */
  overallOther: LatencyStats;
  /** Per second, all subtasks, all key groups (the `all,all` rows of series.csv). */
  seriesAll: LatencySeriesPoint[];
  /** Per second, all subtasks, migrating key groups. */
  seriesMigrating: LatencySeriesPoint[];
  /** Per second, all subtasks, other key groups. */
  seriesOther: LatencySeriesPoint[];
  /** Records that arrived after their second had been finalized: in the totals, not in the series. */
  lateRecords: number;
  /** Time the worker spent formatting, writing and histogramming, in ms (its throughput is records / this). */
  workerBusyMs: number;
}

/** Messages from the main thread to the worker. */
export type ToLatencyWorker = { type: 'chunk'; chunk: LatencyChunk } | { type: 'finish' };
/** Messages from the worker to the main thread. */
export type FromLatencyWorker =
  | { type: 'done'; summary: LatencyLogSummary }
  | { type: 'error'; path: string; message: string; code?: string };

/**
 * A {@link LatencySink} that keeps the hot path free of I/O: `accept` transfers the chunk's buffers to a
 * worker thread, which writes the files and the histograms. `finish` must be called once at the end of the
 * run; until then the worker does not keep the process alive.
 */
export class LatencyLog implements LatencySink {
  private readonly worker: Worker;
  private readonly runDir: string;
  private failure: IoError | undefined;
  private finishing: Promise<LatencyLogSummary> | undefined;
  private settle: { resolve(s: LatencyLogSummary): void; reject(e: unknown): void } | undefined;
  private exited = false;
  private done = false;

  /** Starts the worker; I/O errors (e.g. an unwritable folder) surface at {@link finish}. */
  constructor(options: LatencyLogOptions) {
    this.runDir = options.runDir;
    this.worker = startWorker(siblingModule('./latency-log-worker', import.meta.url), { workerData: { ...options } });
    this.worker.unref();
    this.worker.on('message', (msg: FromLatencyWorker) => {
      if (msg.type === 'done') {
        this.done = true;
        this.settle?.resolve(msg.summary);
      }
      else this.fail(new IoError(msg.path, `latency log: ${msg.message}`, { cause: msg }));
    });
    this.worker.on('error', (err) => this.fail(new IoError(this.runDir, `latency log worker failed: ${String(err)}`, { cause: err })));
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (!this.done) this.fail(new IoError(this.runDir, `latency log worker exited (code ${code}) before finishing`));
    });
  }

  /** The first error the worker reported, if any (the run may want to stop early). */
  get error(): IoError | undefined {
    return this.failure;
  }

  /**
   * Hands `chunk` to the worker, transferring its four buffers (the chunk's arrays are detached afterwards).
   * Chunks arriving after a failure are dropped: the failure is reported by {@link finish}.
   * @throws ProtocolError after {@link finish}
   */
  accept(chunk: LatencyChunk): void {
    if (this.finishing !== undefined) throw new ProtocolError('latency log: chunk accepted after finish()');
    if (this.failure !== undefined || chunk.size === 0) return;
    const transfer = new Set<ArrayBuffer>();
    for (const a of [chunk.tsMs, chunk.keyGroup, chunk.latencyMs, chunk.migrating]) {
      if (a.buffer instanceof ArrayBuffer) transfer.add(a.buffer);
    }
    const msg: ToLatencyWorker = { type: 'chunk', chunk };
    this.worker.postMessage(msg, [...transfer]);
  }

  /**
   * Waits for the worker to process every chunk, flush and close the files and write `series.csv`; then
   * stops it. Calling it again returns the same promise.
   * @returns the run's latency summary
   * @throws IoError naming the file when the worker could not write (or died)
   */
  finish(): Promise<LatencyLogSummary> {
    this.finishing ??= this.awaitDone().finally(() => this.worker.terminate());
    return this.finishing;
  }

  private awaitDone(): Promise<LatencyLogSummary> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.exited) return Promise.reject(new IoError(this.runDir, 'latency log worker is not running'));
    return new Promise<LatencyLogSummary>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.worker.ref();
      const msg: ToLatencyWorker = { type: 'finish' };
      this.worker.postMessage(msg);
    });
  }

  private fail(err: IoError): void {
    this.failure ??= err;
    this.settle?.reject(this.failure);
  }
}
