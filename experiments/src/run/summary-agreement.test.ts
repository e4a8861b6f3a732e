// Issue 17: summary.json and the analysis define spike, completion and the others' p99 once. A small run with a
// migration is read back from its results folder: the analysis's figures (from series.csv, events.csv and
// timers.csv alone, summary.json left out) equal summary.json's, and what the figures, compare and the
// report show is summary.json's.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob, type RunJobResult } from './run-job.ts';
import { resolveConfig } from '../config/resolve.ts';
import { parseSetArgs } from '../config/parse.ts';
import { buildMicroJob } from '../jobs/micro-benchmark.ts';
import { readOurRun } from '../../../analysis/src/read/run-folder.ts';
import { migrationFigures, migrationWindows } from '../../../analysis/src/compute/migrations.ts';
import { runMetrics } from '../../../analysis/src/compute/compare.ts';
import { runFacts } from '../../../analysis/src/figures/run-facts.ts';
import type { Run } from '../../../analysis/src/model.ts';

const SETTINGS = ['spacker.runtime=3', 'spacker.rate.per_task=500', 'spacker.parallelism=4', 'spacker.max_parallelism=64', 'spector.reconfig.affected_keys=32',
  'spector.reconfig.affected_tasks=4', 'spacker.workload.n_keys=512', 'spacker.workload.per_key_size=256', 'spacker.task_managers=2', 'spector.reconfig.start=1200',
  'spector.reconfig.sync_keys=2', 'spacker.checkpoint.interval=400'];

let root: string;
let result: RunJobResult;
let run: Run;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'spacker-agreement-'));
  const config = resolveConfig([parseSetArgs(SETTINGS)]);
  result = await runJob({ resultsParent: root, runName: 'mig', config, job: buildMicroJob(config, 'micro-benchmark') });
  run = readOurRun(result.dir);
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('run > summary > agrees with the analysis (issue 17)', () => {
  it('the analysis computes from the results folder what summary.json says', () => {
    const written = result.summary.migrations;
    assert.equal(written.length, 1);
    assert.ok(written[0].spikeMs !== undefined && written[0].p99OtherMs !== undefined, 'the run measured latency');
    const bare = { ...run, summary: undefined };
    const windows = migrationWindows(bare);
    assert.equal(windows.length, 1, 'one window from events.csv');
    const [computed] = migrationFigures(bare, run.series, windows);
    assert.equal(computed.spikeMs, written[0].spikeMs, 'spike');
    assert.equal(computed.p99OtherMs, written[0].p99OtherMs, "others' p99");
    // timers.csv holds durations to the microsecond: Σ sync + update agrees to its rounding.
    assert.ok(Math.abs((computed.completionMs as number) - written[0].completionMs) < 1e-2 * written[0].chunks, `completion ${computed.completionMs} vs ${written[0].completionMs}`);
  });

  it('figures, compare and the report show summary.json figures', () => {
    const written = result.summary.migrations[0];
    const facts = runFacts(run, run.series);
    assert.deepEqual([facts.spikes[0], facts.completions[0]], [written.spikeMs, written.completionMs]);
    const m = runMetrics(run);
    assert.deepEqual([m.spikeMs, m.p99OtherMs, m.completionMs], [written.spikeMs, written.p99OtherMs, written.completionMs]);
  });
});
