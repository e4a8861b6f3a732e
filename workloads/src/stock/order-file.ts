/**
 * Reads an order file (order-record.ts) into a tape: synchronously, 1 MiB at a time, and only as many slots
 * as the run replays, so a four-hour file costs what its first minutes hold. Malformed lines are counted,
 * kept with their line numbers (the first `MAX_REPORTED`) and skipped; lines the reference skips are counted
 * apart. A file that cannot be opened is an `IoError` naming the path. Also writes a generator's records in
 * the same format.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { IoError } from '../../../engine/src/index.ts';
import { END_OF_SLOT, formatLine, parseLine } from './order-record.ts';
import type { StockGenerator } from './generator.ts';
import { TapeBuilder, type OrderTape } from './order-tape.ts';

/** Malformed lines reported one by one; beyond that only counted. */
export const MAX_REPORTED = 20;

export interface MalformedLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

export interface ReadReport {
  readonly path: string;
  /** Lines read (up to where reading stopped). */
  readonly lines: number;
  readonly records: number;
  readonly slots: number;
  /** Lines skipped as the reference skips them (fewer than 12 fields, code X or empty). */
  readonly skipped: number;
  readonly malformedCount: number;
  /** The first `MAX_REPORTED` malformed lines. */
  readonly malformed: readonly MalformedLine[];
  /** Whether reading stopped at `maxSlots` before the end of the file. */
  readonly truncated: boolean;
}

export interface ReadOptions {
  /** Slots to read at most (the run's length / 50 ms); default all. */
  maxSlots?: number;
}

/** Reads `path`; throws `IoError` if it cannot be opened or read. */
export function readOrderFile(path: string, options: ReadOptions = {}): { tape: OrderTape; report: ReadReport } {
  const full = resolve(path);
  let fd: number;
  try {
    if (statSync(full).isDirectory()) throw new IoError(full, 'is a folder, not an order file');
    fd = openSync(full, 'r');
  } catch (cause) {
    if (cause instanceof IoError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new IoError(full, `cannot open the order file (${code === 'ENOENT' ? 'no such file' : code}); write one with \`npm run spacker -- stock-data --out FILE\``, { cause });
  }
  const maxSlots = options.maxSlots ?? Infinity;
  const builder = new TapeBuilder();
  const strings = new Map<string, string>();
  const intern = (s: string): string => {
    const hit = strings.get(s);
    if (hit !== undefined) return hit;
    strings.set(s, s);
    return s;
  };
  const malformed: MalformedLine[] = [];
  let malformedCount = 0;
  let skipped = 0;
  let lineNo = 0;
  let truncated = false;

  /** Handles one line; false once `maxSlots` slots are complete. */
  const onLine = (raw: string): boolean => {
    lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '') return true;
    const parsed = parseLine(text, intern);
    switch (parsed.kind) {
      case 'record':
        builder.add(parsed.record);
        return true;
      case 'end':
        builder.endSlot();
        return builder.slots < maxSlots;
      case 'skipped':
        skipped++;
        return true;
      case 'malformed':
        malformedCount++;
        if (malformed.length < MAX_REPORTED) malformed.push({ line: lineNo, reason: parsed.reason, text: text.length > 120 ? `${text.slice(0, 117)}...` : text });
        return true;
    }
  };

  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let more = maxSlots > 0;
    while (more) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) {
        rest += decoder.end();
        if (rest !== '') onLine(rest);
        break;
      }
      const lines = (rest + decoder.write(chunk.subarray(0, n))).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!onLine(line)) {
          more = false;
          truncated = true;
          break;
        }
      }
    }
  } catch (cause) {
    throw new IoError(full, `cannot read the order file at line ${lineNo + 1}: ${(cause as Error).message}`, { cause });
  } finally {
    closeSync(fd);
  }
  const tape = builder.build();
  return {
    tape,
    report: { path: full, lines: lineNo, records: tape.records.length, slots: tape.slotStarts.length - 1, skipped, malformedCount, malformed, truncated },
  };
}

/** The report in words: counts, then each reported malformed line as `path:line: reason`. */
export function describeReport(r: ReadReport): string {
  const head = `${r.path}: ${r.records} records in ${r.slots} slots from ${r.lines} lines${r.truncated ? ' (stopped at the run\'s length)' : ''}; ${r.skipped} skipped as the reference skips them; ${r.malformedCount} malformed`;
  const lines = r.malformed.map((m) => `  ${r.path}:${m.line}: ${m.reason}: ${m.text}`);
  if (r.malformedCount > r.malformed.length) lines.push(`  ... and ${r.malformedCount - r.malformed.length} more malformed lines`);
  return [head, ...lines].join('\n');
}

/** What `writeOrderFile` wrote. */
export interface WriteReport {
  readonly path: string;
  /** Order lines (code X lines included) and slots (`end` lines). */
  readonly lines: number;
  readonly slots: number;
  readonly bytes: number;
}

/**
 * Writes every slot of `generator` to `path`: its lines, then `end`. Written to `<path>.tmp-<pid>` and
 * renamed, so an interrupted write leaves no half file under the name.
 */
export function writeOrderFile(path: string, generator: StockGenerator): WriteReport {
  const full = resolve(path);
  const tmp = `${full}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (cause) {
    throw new IoError(full, `cannot write the order file (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  let lines = 0;
  let slots = 0;
  let bytes = 0;
  try {
    let pending: string[] = [];
    const flush = (): void => {
      const buf = Buffer.from(pending.join(''), 'utf8');
      writeSync(fd, buf);
      bytes += buf.length;
      pending = [];
    };
    while (generator.hasNext) {
      for (const r of generator.nextSlot()) {
        pending.push(`${formatLine(r)}\n`);
        lines++;
      }
      pending.push(`${END_OF_SLOT}\n`);
      slots++;
      if (pending.length >= 4096) flush();
    }
    flush();
    closeSync(fd);
    renameSync(tmp, full);
  } catch (cause) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw new IoError(full, `cannot write the order file: ${(cause as Error).message}`, { cause });
  }
  return { path: full, lines, slots, bytes };
}
