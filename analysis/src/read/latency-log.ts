/**
 * Per-record latency logs, parsed straight from bytes: a reference-scale run has millions of lines, and
 * splitting strings would cost more than the whole analysis. Two formats:
 * - ours, `latency/<operator>-<subtask>.csv`: `ts_ms,key_group,latency_ms` (ts since the run's start);
 * - the reference's, `<operator>-<i>.output`: `ts: <epochMs> endToEnd latency: <ms>` (no key group).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from './csv.ts';
import type { LatencyLog } from '../model.ts';

const COMMA = 44;
const NL = 10;
const CR = 13;

/** Grows typed columns as lines arrive. */
class Columns {
  n = 0;
  ts: Float64Array;
  kg: Int32Array;
  lat: Float64Array;
  constructor(capacity: number) {
    this.ts = new Float64Array(capacity);
    this.kg = new Int32Array(capacity);
    this.lat = new Float64Array(capacity);
  }
  push(ts: number, kg: number, lat: number): void {
    if (this.n === this.ts.length) {
      const cap = this.n * 2 + 16;
      const ts2 = new Float64Array(cap);
      ts2.set(this.ts);
      const kg2 = new Int32Array(cap);
      kg2.set(this.kg);
      const lat2 = new Float64Array(cap);
      lat2.set(this.lat);
      this.ts = ts2;
      this.kg = kg2;
      this.lat = lat2;
    }
    this.ts[this.n] = ts;
    this.kg[this.n] = kg;
    this.lat[this.n] = lat;
    this.n++;
  }
  log(operator: string, subtask: number): LatencyLog {
    return { operator, subtask, tsMs: this.ts.subarray(0, this.n), keyGroup: this.kg.subarray(0, this.n), latencyMs: this.lat.subarray(0, this.n) };
  }
}

/** Parses a decimal number in buf[from, to): optional '-', digits, optional '.' and digits. NaN if malformed. */
export function parseDecimal(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && buf[i] === 45) {
    neg = true;
    i++;
  }
  if (i >= to) return NaN;
  let int = 0;
  let digits = 0;
  while (i < to && buf[i] >= 48 && buf[i] <= 57) {
    int = int * 10 + (buf[i] - 48);
    i++;
    digits++;
  }
  let value = int;
  if (i < to && buf[i] === 46) {
    i++;
    let frac = 0;
    let scale = 1;
    while (i < to && buf[i] >= 48 && buf[i] <= 57) {
      frac = frac * 10 + (buf[i] - 48);
      scale *= 10;
      i++;
      digits++;
    }
    value += frac / scale;
  }
  if (i !== to || digits === 0) return NaN;
  return neg ? -value : value;
}

/** `<operator>-<subtask>.<ext>` -> operator and subtask. */
export function operatorOf(file: string): { operator: string; subtask: number } {
  const base = basename(file).replace(/\.(csv|output)$/, '');
  const m = /^(.*)-(\d+)$/.exec(base);
  if (!m) throw new InputError(file, undefined, 'the file name is not <operator>-<subtask>');
  return { operator: m[1], subtask: Number(m[2]) };
}

const HEADER = 'ts_ms,key_group,latency_ms';

/** Our latency CSV. A broken line is an InputError naming the file and line; an empty log has 0 rows. */
export function parseLatencyCsv(buf: Uint8Array, path: string): LatencyLog {
  const { operator, subtask } = operatorOf(path);
  let nl = buf.indexOf(NL);
  if (nl < 0) nl = buf.length;
  const header = new TextDecoder().decode(buf.subarray(0, nl)).replace(/\r$/, '');
  if (header !== HEADER) throw new InputError(path, 1, `expected the header ${HEADER}, found ${JSON.stringify(header.slice(0, 80))}`);
  const cols = new Columns(Math.max(16, Math.floor(buf.length / 22)));
  let line = 1;
  let pos = nl + 1;
  const end = buf.length;
  while (pos < end) {
    line++;
    let eol = buf.indexOf(NL, pos);
    if (eol < 0) eol = end;
    let lineEnd = eol;
    if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
    if (lineEnd === pos) {
      pos = eol + 1;
      continue;
    }
    const c1 = buf.indexOf(COMMA, pos);
    const c2 = c1 < 0 || c1 >= lineEnd ? -1 : buf.indexOf(COMMA, c1 + 1);
    const ok = c1 >= 0 && c1 < lineEnd && c2 >= 0 && c2 < lineEnd;
    const ts = ok ? parseDecimal(buf, pos, c1) : NaN;
    const kg = ok ? parseDecimal(buf, c1 + 1, c2) : NaN;
    const lat = ok ? parseDecimal(buf, c2 + 1, lineEnd) : NaN;
    if (Number.isNaN(ts) || Number.isNaN(kg) || Number.isNaN(lat)) {
      const text = new TextDecoder().decode(buf.subarray(pos, Math.min(lineEnd, pos + 80)));
      throw new InputError(path, line, `expected ts_ms,key_group,latency_ms (three numbers), found ${JSON.stringify(text)}`);
    }
    cols.push(ts, kg, lat);
    pos = eol + 1;
  }
  return cols.log(operator, subtask);
}

const TS_PREFIX = Buffer.from('ts: ');
const LAT_MARK = Buffer.from(' endToEnd latency: ');

/** The reference's `<operator>-<i>.output`; ts stays in epoch ms (the run reader rebases it). */
export function parseReferenceOutput(buf: Uint8Array, path: string): LatencyLog {
  const { operator, subtask } = operatorOf(path);
  const cols = new Columns(Math.max(16, Math.floor(buf.length / 40)));
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let line = 0;
  let pos = 0;
  while (pos < b.length) {
    line++;
    let eol = b.indexOf(NL, pos);
    if (eol < 0) eol = b.length;
    let lineEnd = eol;
    if (lineEnd > pos && b[lineEnd - 1] === CR) lineEnd--;
    if (lineEnd > pos) {
      const mark = b.indexOf(LAT_MARK, pos);
      const ok = b.compare(TS_PREFIX, 0, TS_PREFIX.length, pos, pos + TS_PREFIX.length) === 0 && mark > pos && mark < lineEnd;
      const ts = ok ? parseDecimal(b, pos + TS_PREFIX.length, mark) : NaN;
      const lat = ok ? parseDecimal(b, mark + LAT_MARK.length, lineEnd) : NaN;
      if (Number.isNaN(ts) || Number.isNaN(lat)) {
        const text = b.toString('utf8', pos, Math.min(lineEnd, pos + 80));
        throw new InputError(path, line, `expected "ts: <epoch ms> endToEnd latency: <ms>", found ${JSON.stringify(text)}`);
      }
      cols.push(ts, -1, lat);
    }
    pos = eol + 1;
  }
  return cols.log(operator, subtask);
}

/** Reads one latency log of either format from disk. */
export function readLatencyLog(path: string): LatencyLog {
  const buf = readFileSync(path);
  return path.endsWith('.output') ? parseReferenceOutput(buf, path) : parseLatencyCsv(buf, path);
}

/**
 * Our latency logs in a run's `latency/` folder (`*.csv`, in file-name order), read one at a time as the
 * caller iterates; none when the folder does not exist.
 */
export function* latencyLogsIn(dir: string): Generator<LatencyLog> {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const f of files) yield readLatencyLog(join(dir, f));
}
