// sweep > table: per run the spike, mean latency during scaling (weighed by each window's records),
// re-stable time (the longest migration's; "never" when one never re-stabilized), completion, throughput,
// bytes; repeats as mean ± 95 % CI; table.csv's columns.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTable, formatTable, writeTable, type RunResult } from './table.ts';
import type { MigrationSummary, RunSummary } from '../run/summary.ts';

const dir = mkdtempSync(join(tmpdir(), 'spacker-table-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function result(run: string, migrations: Partial<MigrationSummary>[]): RunResult {
  const ms = migrations.map((m) => ({ completionMs: 100, bytes: 2 ** 20, ...m }) as MigrationSummary);
  return { run, folder: run, summary: { throughputRecPerS: 1000, migrations: ms } as unknown as RunSummary };
}

describe('sweep > table', () => {
  it('mean during scaling over every window\'s records; re-stable = the longest; never when one never was', () => {
    const [a, b] = buildTable([
      result('a', [
        { spikeMs: 5, meanDuringScalingMs: 2, recordsDuringScaling: 300, restableMs: 700 },
        { spikeMs: 9, meanDuringScalingMs: 6, recordsDuringScaling: 100, restableMs: 1700 },
      ]),
      result('b', [{ spikeMs: 4, meanDuringScalingMs: 1, recordsDuringScaling: 10, restableMs: null }]),
    ]);
    assert.deepEqual([a.spikeMs?.mean, a.meanDuringScalingMs?.mean, a.restableMs?.mean, a.neverRestable, a.completionMs?.mean, a.movedMiB?.mean], [9, 3, 1700, undefined, 200, 2]);
    assert.deepEqual([b.restableMs, b.neverRestable], [undefined, 1]);
    const text = formatTable('t', [a, b]).split('\n');
    assert.match(text[1], /^run +spike \(ms\) +mean during scaling \(ms\) +re-stable \(ms\) +completion \(ms\) +throughput \(rec\/s\) +moved \(MiB\)$/);
    assert.match(text[3], /^a +9\.0 +3\.00 +1700 +200\.0 +1000 +2\.0$/);
    assert.match(text[4], /^b +4\.0 +1\.00 +never +100\.0 +1000 +1\.0$/);
  });

  it('repeats: mean ± CI over the repeats that re-stabilized, and how many never did', () => {
    const rows = buildTable([result('a', [{ restableMs: 1000 }]), result('a', [{ restableMs: 2000 }]), result('a', [{ restableMs: null }])]);
    assert.deepEqual([rows[0].repeats, rows[0].restableMs?.mean, rows[0].neverRestable], [3, 1500, 1]);
    assert.match(formatTable('t', rows).split('\n')[3], /1500 ± \d+ \(never in 1 of 3\)/);
  });

  it('table.csv: mean and ci95 per metric, then restable_never', () => {
    writeTable(dir, buildTable([result('a', [{ spikeMs: 1, restableMs: null }])]));
    const csv = readFileSync(join(dir, 'table.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'run,repeats,spike_ms,spike_ms_ci95,mean_during_scaling_ms,mean_during_scaling_ms_ci95,restable_ms,restable_ms_ci95,completion_ms,completion_ms_ci95,throughput_rec_s,throughput_rec_s_ci95,moved_mib,moved_mib_ci95,restable_never');
    assert.equal(csv[1], 'a,1,1,0,,,,,100,0,1000,0,1,0,1');
  });
});
