/**
 * Leftovers of a killed sweep: a run writes into `<run>.tmp-<pid>` (RunFolder) and renames it when complete, so
 * a temporary folder whose process is gone belongs to a run that never finished. On the next start it becomes
 * `<run>.failed` with a FAILED note, like any failed run (and `--resume` runs it again).
 */
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILED_SUFFIX, TMP_SUFFIX } from '../results/run-folder.ts';

const TMP = new RegExp(`^(.+)${TMP_SUFFIX.replace('.', '\\.')}-(\\d+)$`);

/** Marks failed every temporary run folder in `dir` whose process is not alive; returns the runs marked. */
export function markAbandonedRuns(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const marked: string[] = [];
  for (const entry of readdirSync(dir)) {
    const m = TMP.exec(entry);
    if (m === null) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && isAlive(pid)) continue; // another sweep is writing it
    const tmp = join(dir, entry);
    const failed = join(dir, `${m[1]}${FAILED_SUFFIX}`);
    writeFileSync(join(tmp, 'FAILED'), `${new Date().toISOString()}\ninterrupted: process ${pid} ended before the run completed (found by a later start)\n`);
    rmSync(failed, { recursive: true, force: true });
    renameSync(tmp, failed);
    marked.push(m[1]);
  }
  return marked;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
