/**
 * One run's results folder (DESIGN.md, Results format). Files are written into `<name>.tmp-<pid>` beside the
 * final folder, which appears only by rename when the run completes; a failed or interrupted run is renamed
 * to `<name>.failed` with a `FAILED` file saying why. Nothing half-written ever looks complete.
 */
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { IoError } from '../../../engine/src/index.ts';

/** Suffix of a folder that a run is still writing. */
export const TMP_SUFFIX = '.tmp';
/** Suffix of a folder whose run failed or was interrupted. */
export const FAILED_SUFFIX = '.failed';

/**
 * Checks, without creating anything, that `path` can become a folder we write into: it is a writable folder,
 * or it does not exist and its nearest existing ancestor is a writable folder.
 */
export function assertWritableFolder(path: string, what: string): void {
  let p = resolve(path);
  for (;;) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) throw new IoError(p, `${what} must be a folder, but this is a file`);
      try {
        accessSync(p, constants.W_OK | constants.X_OK);
      } catch (cause) {
        throw new IoError(p, `${what} is not writable (${(cause as NodeJS.ErrnoException).code ?? 'no access'})`, { cause });
      }
      return;
    }
    const parent = dirname(p);
    if (parent === p) throw new IoError(path, `${what}: no existing parent folder`);
    p = parent;
  }
}

export class RunFolder {
  /** Where files go while the run is in progress. */
  readonly dir: string;
  private state: 'open' | 'complete' | 'failed' = 'open';

  private constructor(
    /** The folder the run will have once complete. */
    readonly finalDir: string,
  ) {
    this.dir = `${finalDir}${TMP_SUFFIX}-${process.pid}`;
  }

  /** Creates the temporary folder of run `name` under `parent`; refuses if a complete run is already there. */
  static open(parent: string, name: string): RunFolder {
    assertWritableFolder(parent, 'results folder');
    const finalDir = resolve(parent, name);
    if (existsSync(finalDir)) throw new IoError(finalDir, 'a run with this name already exists; remove it or choose another name');
    const f = new RunFolder(finalDir);
    rmSync(f.dir, { recursive: true, force: true });
    mkdirSync(f.dir, { recursive: true });
    return f;
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  writeJson(file: string, value: unknown): void {
    writeFileSync(this.path(file), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes a CSV file with a header line (csv-stringify quotes what needs quoting). */
  writeCsv(file: string, header: readonly string[], rows: readonly (readonly unknown[])[]): void {
    writeFileSync(this.path(file), stringify([header as unknown[], ...(rows as unknown[][])]));
  }

  /** Makes the run visible as complete. */
  complete(): string {
    if (this.state !== 'open') throw new IoError(this.dir, `run folder is already ${this.state}`);
    renameSync(this.dir, this.finalDir);
    this.state = 'complete';
    return this.finalDir;
  }

  /** Marks the run failed: the folder becomes `<name>.failed` (replacing an older one) with a FAILED note. */
  fail(reason: unknown): string {
    if (this.state !== 'open') return this.state === 'failed' ? this.failedDir : this.finalDir;
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}\n${reason.stack ?? ''}` : String(reason);
    try {
      writeFileSync(this.path('FAILED'), `${new Date().toISOString()}\n${text}\n`);
      rmSync(this.failedDir, { recursive: true, force: true });
      renameSync(this.dir, this.failedDir);
    } catch {
      // The folder may be gone or unwritable; the reason is still reported by the caller.
    }
    this.state = 'failed';
    return this.failedDir;
  }

  get failedDir(): string {
    return `${this.finalDir}${FAILED_SUFFIX}`;
  }
}
