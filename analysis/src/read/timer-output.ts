/**
 * The reference's timer.output (`++++++<name>Timer : <N>ms`, then `+++++++ cur time in ms: <epoch>` after each
 * endToEndTimer). Chunks get consecutive reconfig ids; a migration ends at the first replicationTimer that
 * follows a sync/update line (the reference's breakdown_*_overview convention), so chunk indices restart there.
 */
import { InputError } from './csv.ts';
import type { TimerName, TimerRow } from '../model.ts';

const NAMES: Record<string, TimerName> = { syncTimer: 'sync', updateTimer: 'update', endToEndTimer: 'endToEnd', replicationTimer: 'replication' };

export function parseTimerOutput(text: string, path: string): TimerRow[] {
  const rows: TimerRow[] = [];
  let reconfigId = 0;
  let chunk = 0;
  let checkpoint = 0;
  let inMigration = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('+++++++ cur time in ms:')) continue;
    const m = /^\+{6}(\w+) : (-?[\d.]+)ms$/.exec(line);
    const timer = m ? NAMES[m[1]] : undefined;
    if (!m || timer === undefined) throw new InputError(path, i + 1, `expected "++++++<sync|update|endToEnd|replication>Timer : <N>ms", found ${JSON.stringify(line.slice(0, 80))}`);
    const durationMs = Number(m[2]);
    if (timer === 'replication') {
      if (inMigration) chunk = 0;
      inMigration = false;
      rows.push({ reconfigId: 0, chunk: ++checkpoint, timer, startMs: NaN, durationMs });
      continue;
    }
    if (timer === 'sync') {
      if (inMigration) chunk++;
      reconfigId++;
      inMigration = true;
    }
    rows.push({ reconfigId, chunk, timer, startMs: NaN, durationMs });
  }
  return rows;
}
