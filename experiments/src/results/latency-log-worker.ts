/**
 * Worker thread of the latency log: formats each chunk's records into a reused byte buffer, appends them to
 * the per-subtask CSV (and optional `.output`) files in large blocks, and feeds the per-second histograms.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Nap, lowerThisThread } from '../../../engine/src/platform/index.ts';
import type { LatencyChunk } from '../../../engine/src/index.ts';
import { LatencySeries } from './latency-log-series.ts';
import type { FromLatencyWorker, LatencyLogOptions, LatencyLogSummary, ToLatencyWorker } from './latency-log.ts';

// The log yields to the job, which runs on the main thread: the lowest priority, as every helper thread of a
// run, and a short sleep after every BREATHE_MS of work (perf sched showed it holding the main core for 4 ms).
lowerThisThread();
const BREATHE_MS = 0.25;
const nap = new Nap(BREATHE_MS);
/** Sleeps a moment once this thread has worked BREATHE_MS since its last sleep or message. */
const breathe = (): void => nap.breathe();

/** Records formatted into the scratch buffer and written at a time (between two chances to sleep). */
const RECORDS_PER_BLOCK = 1024;
/** Longer than any line we format. */
const LINE_SLACK = 512;
const scratch = Buffer.allocUnsafe(RECORDS_PER_BLOCK * LINE_SLACK);
const CSV_HEADER = 'ts_ms,key_group,latency_ms\n';
const SPECTOR_TS = Buffer.from('ts: ');
const SPECTOR_LATENCY = Buffer.from(' endToEnd latency: ');

/** Writes the decimal digits of an integer `0 <= k < 2^31`; returns the new position. */
function putSmall(buf: Buffer, pos: number, k: number): number {
  const digits = k < 100000
    ? (k < 100 ? (k < 10 ? 1 : 2) : k < 1000 ? 3 : k < 10000 ? 4 : 5)
    : k < 10000000 ? (k < 1000000 ? 6 : 7) : k < 100000000 ? 8 : k < 1000000000 ? 9 : 10;
  const end = pos + digits;
  let i = end;
  do { const q = (k / 10) | 0; buf[--i] = 48 + k - q * 10; k = q; } while (k !== 0);
  return end;
}

/** Writes the decimal digits of an integer `0 <= n < 2^53` (epoch ms, big sums) in 32-bit arithmetic. */
function putUint(buf: Buffer, pos: number, n: number): number {
  if (n < 0x80000000) return putSmall(buf, pos, n | 0);
  const high = Math.floor(n / 1e8);
  let low = (n - high * 1e8) | 0;
  pos = putSmall(buf, pos, high);
  for (let i = pos + 7; i >= pos; i--) { const q = (low / 10) | 0; buf[i] = 48 + low - q * 10; low = q; }
  return pos + 8;
}

function putAscii(buf: Buffer, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/** Writes an integer (any sign); falls back to `String` outside the exact range. */
function putInt(buf: Buffer, pos: number, n: number): number {
  if (!(n > -Number.MAX_SAFE_INTEGER && n < Number.MAX_SAFE_INTEGER)) return putAscii(buf, pos, String(n));
  if (n < 0) { buf[pos++] = 45; n = -n; }
  return putUint(buf, pos, n);
}

/** Writes `x` with 3 decimals, rounded to the nearest thousandth (as `toFixed(3)` does, but without a string). */
function putFixed3(buf: Buffer, pos: number, x: number): number {
  let t = Math.round(x * 1000);
  if (!(t > -Number.MAX_SAFE_INTEGER && t < Number.MAX_SAFE_INTEGER)) return putAscii(buf, pos, x.toFixed(3));
  if (t < 0) { buf[pos++] = 45; t = -t; }
  const whole = Math.floor(t / 1000);
  const frac = t - whole * 1000;
  pos = putUint(buf, pos, whole);
  buf[pos] = 46;
  buf[pos + 1] = 48 + ((frac / 100) | 0);
  buf[pos + 2] = 48 + (((frac / 10) | 0) % 10);
  buf[pos + 3] = 48 + (frac % 10);
  return pos + 4;
}

function putBytes(buf: Buffer, pos: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i];
  return pos;
}

/** An output file; `path` names it in errors. */
interface Out { path: string; fd: number }

/** Lines `ts_ms,key_group,latency_ms` of records `from .. to-1` of `c` into the scratch buffer; their bytes. */
function csvLines(c: LatencyChunk, from: number, to: number): number {
  const { tsMs, keyGroup, latencyMs } = c;
  const buf = scratch;
  let pos = 0;
  for (let i = from; i < to; i++) {
    pos = putFixed3(buf, pos, tsMs[i]);
    buf[pos++] = 44;
    pos = putInt(buf, pos, keyGroup[i]);
    buf[pos++] = 44;
    pos = putFixed3(buf, pos, latencyMs[i]);
    buf[pos++] = 10;
  }
  return pos;
}

/** Lines `ts: <epoch ms> endToEnd latency: <ms>` (integers, floored), the reference's `.output` format. */
function spectorLines(c: LatencyChunk, from: number, to: number, startEpochMs: number): number {
  const { tsMs, latencyMs } = c;
  const buf = scratch;
  let pos = 0;
  for (let i = from; i < to; i++) {
    pos = putBytes(buf, pos, SPECTOR_TS);
    pos = putInt(buf, pos, Math.floor(startEpochMs + tsMs[i]));
    pos = putBytes(buf, pos, SPECTOR_LATENCY);
    pos = putInt(buf, pos, Math.floor(latencyMs[i]));
    buf[pos++] = 10;
  }
  return pos;
}

/** The worker's state and its handling of the messages. */
class LatencyLogWorker {
  /** The file (or folder) being worked on: what an error names. */
  private current: string;
  private readonly csv = new Map<string, Out>();
  private readonly spector = new Map<string, Out>();
  private readonly series = new LatencySeries(breathe);
  private busyMs = 0;

  constructor(private readonly options: LatencyLogOptions) {
    this.current = join(options.runDir, 'latency');
  }

  /** Creates the output folders. */
  open(): void {
    mkdirSync((this.current = join(this.options.runDir, 'latency')), { recursive: true });
    const { spectorDir } = this.options;
    if (spectorDir !== undefined) mkdirSync((this.current = spectorDir), { recursive: true });
  }

  get path(): string {
    return this.current;
  }

  chunk(c: LatencyChunk): void {
    const t0 = performance.now();
    const name = `${c.operator}-${c.subtask}`;
    const csv = this.outFor(this.csv, join(this.options.runDir, 'latency', `${name}.csv`), CSV_HEADER);
    this.current = csv.path;
    writeBlocks(csv, c.size, (from, to) => csvLines(c, from, to));
    const { spectorDir, startEpochMs } = this.options;
    if (spectorDir !== undefined) {
      const out = this.outFor(this.spector, join(spectorDir, `${name}.output`), '');
      this.current = out.path;
      writeBlocks(out, c.size, (from, to) => spectorLines(c, from, to, startEpochMs));
    }
    this.series.add(c);
    this.busyMs += performance.now() - t0;
  }

  finish(): LatencyLogSummary {
    const t0 = performance.now();
    this.closeAll();
    const { csv, summary } = this.series.result();
    writeFileSync((this.current = join(this.options.runDir, 'series.csv')), csv);
    this.busyMs += performance.now() - t0;
    return { ...summary, workerBusyMs: this.busyMs };
  }

  /** Closes every file, ignoring errors: used after a failure. */
  abandon(): void {
    for (const out of [...this.csv.values(), ...this.spector.values()]) {
      try { closeSync(out.fd); } catch { /* already failing */ }
    }
    this.csv.clear();
    this.spector.clear();
  }

  private outFor(files: Map<string, Out>, path: string, header: string): Out {
    let out = files.get(path);
    if (out === undefined) {
      this.current = path;
      out = { path, fd: openSync(path, 'w') };
      files.set(path, out);
      if (header !== '') writeSync(out.fd, header);
    }
    return out;
  }

  private closeAll(): void {
    for (const out of [...this.csv.values(), ...this.spector.values()]) {
      this.current = out.path;
      closeSync(out.fd);
    }
    this.csv.clear();
    this.spector.clear();
  }
}

/**
 * Writes the lines of records `0 .. size-1` to `out`, RECORDS_PER_BLOCK at a time: `lines(from, to)` formats
 * them into the scratch buffer and returns their bytes. The thread may sleep between blocks.
 */
function writeBlocks(out: Out, size: number, lines: (from: number, to: number) => number): void {
  for (let i = 0; i < size; i += RECORDS_PER_BLOCK) {
    writeFully(out, lines(i, Math.min(size, i + RECORDS_PER_BLOCK)));
    breathe();
  }
}

/** Writes the first `length` bytes of the scratch buffer to `out` (writeSync may write less than asked). */
function writeFully(out: Out, length: number): void {
  let done = 0;
  while (done < length) done += writeSync(out.fd, scratch, done, length - done);
}

const port = parentPort;
if (port === null) throw new Error('latency-log-worker.ts must run in a worker thread');
let failure: FromLatencyWorker | undefined;
const worker = new LatencyLogWorker(workerData as LatencyLogOptions);
const fail = (err: unknown, path: string): void => {
  const e = err as NodeJS.ErrnoException;
  failure = { type: 'error', path, message: e instanceof Error ? e.message : String(err), code: e?.code };
  worker.abandon();
  port.postMessage(failure);
};
try {
  worker.open();
} catch (err) {
  fail(err, worker.path);
}
port.on('message', (msg: ToLatencyWorker) => {
  if (failure !== undefined) {
    if (msg.type === 'finish') port.postMessage(failure);
    return;
  }
  nap.restart();
  try {
    if (msg.type === 'chunk') worker.chunk(msg.chunk);
    else port.postMessage({ type: 'done', summary: worker.finish() } satisfies FromLatencyWorker);
  } catch (err) {
    fail(err, worker.path);
  }
});
