// The flink-rescale family with --quick on a real Flink cluster (issue 18), as `npm run exp:flink-rescale --
// --quick` runs it: the micro-benchmark rescaled 2 -> 4 once by each Flink strategy and by the embedded engine's
// Spacker fluid and all-at-once. For the Flink runs: the REST job view shows the new parallelism, the per-key
// counts are continuous (no key lost or reset; duplicates counted and reported), and the latency logs become a
// table row the analysis reads (summary.json: peak latency and downtime). Uses the cluster that `npm run
// services -- flink up` recorded (starts nothing); skipped, saying why, without one or without the jar; under
// CI=true those are failures. (families-quick.test.ts leaves this family to this test.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CI } from '../helpers/services.ts';
import { resolveConfig } from '../../experiments/src/config/resolve.ts';
import { parseSetArgs } from '../../experiments/src/config/parse.ts';
import { DEFAULT_FLINK_JAR, flinkPlan, recordedFlinkRest } from '../../experiments/src/flink/flink-plan.ts';
import { runFlinkJob, type FlinkRunSummary } from '../../experiments/src/flink/flink-run.ts';
import { planSweep } from '../../experiments/src/sweep/plan.ts';
import { runSweep } from '../../experiments/src/sweep/run-sweep.ts';
import { FlinkRest } from '../../experiments/src/io/flink/rest-client.ts';
import { readOurRun } from '../../analysis/src/read/run-folder.ts';
import { FLINK_STRATEGIES } from '../../experiments/src/config/keys-spacker.ts';
import type { CountsCheck } from '../../experiments/src/flink/flink-results.ts';

async function skipReason(): Promise<string | false> {
  const url = recordedFlinkRest();
  let reason: string | undefined;
  if (url === undefined) reason = "no Flink cluster is recorded; start one with 'npm run services -- flink up --task-managers 2 --slots 2'";
  else if (!(await new FlinkRest(url, { timeoutMs: 3000 }).overview().then(() => true, () => false))) reason = `the recorded Flink cluster at ${url} does not answer; restart it with 'npm run services -- flink up'`;
  else if (!existsSync(DEFAULT_FLINK_JAR)) reason = `the Flink jobs jar is not built (${DEFAULT_FLINK_JAR}); build it with 'mvn -q -B -f workloads/flink/pom.xml package -DskipTests'`;
  if (reason === undefined) return false;
  if (CI) assert.fail(`CI=true and ${reason}`);
  process.stderr.write(`# integration test skipped: ${reason}\n`);
  return `integration test skipped: ${reason}`;
}

const skip = await skipReason();

describe('the flink-rescale family with --quick on a real Flink cluster, rescaled 2 -> 4', { skip, timeout: 240_000 }, () => {
  it('every run completes; the Flink runs: new parallelism, continuous per-key counts, a table row with peak latency and downtime', { timeout: 240_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'spacker-flink-family-'));
    try {
      const plan = planSweep({ experiment: 'flink-rescale', quick: true, out });
      const result = await runSweep(plan);
      assert.deepEqual(result.failed.map((f) => `${f.folder}: ${String(f.error)}`), []);
      assert.deepEqual(result.completed, ['spacker-fluid', 'spacker-all-at-once', 'flink-restart', 'flink-rescale']);
      assert.deepEqual(result.table.map((r) => r.run), result.completed);
      for (const row of result.table) assert.ok(row.restableMs !== undefined || row.neverRestable === 1, `${row.run}: a migration in the table`);
      const runtimeS = plan.runs[0].config.get('spacker.runtime');
      const rate = plan.runs[0].config.get('spacker.rate.per_task') * 2;
      for (const strategy of FLINK_STRATEGIES) {
        const dir = join(plan.dir, strategy);
        const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as FlinkRunSummary;
        // The REST job view after the rescale.
        assert.equal(summary.flink.parallelismBefore, 2);
        assert.equal(summary.flink.parallelismAfter, 4);
        assert.equal(summary.flink.jobIds.length, strategy === 'flink-restart' ? 2 : 1);
        const rest = new FlinkRest(summary.flink.restUrl);
        const last = await rest.job(summary.flink.jobIds[summary.flink.jobIds.length - 1]);
        assert.equal(last.state, 'FINISHED');
        assert.equal(last.vertices.find((v) => v.name.includes('Splitter FlatMap'))?.parallelism, 4);
        // Per-key counts: no key lost or reset; duplicates counted (exactly-once state: 0).
        assert.deepEqual(summary.errors, []);
        const counts = summary.check as unknown as CountsCheck;
        assert.ok(counts.keys > 0);
        assert.equal(counts.lostKeys, 0);
        assert.equal(counts.resetKeys, 0);
        assert.equal(typeof counts.duplicates, 'number');
        assert.equal(counts.scheduledRecords, runtimeS * rate);
        assert.equal(counts.countedRecords, counts.scheduledRecords + counts.duplicates);
        // Every scheduled record completed at least once; replays after a restart from a checkpoint are extra.
        assert.equal(summary.records, summary.expectedRecords + summary.replayedRecords);
        // Four latency files (subtasks 0..3), read into a table row like an embedded run's.
        assert.deepEqual(readdirSync(join(dir, 'latency')).sort(), [0, 1, 2, 3].map((i) => `Splitter FlatMap-${i}.csv`));
        const run = readOurRun(dir);
        assert.ok(run.series.length > 0);
        assert.ok(run.events.some((e) => e.record.event === 'flink_rescale_end'));
        assert.ok(summary.downtimeMs !== undefined && summary.downtimeMs > 0, 'the rescale shows as a gap in completed records');
        assert.ok(summary.peakLatencyMs >= summary.downtimeMs * 0.5, `peak latency ${summary.peakLatencyMs} ms vs downtime ${summary.downtimeMs} ms`);
        assert.equal(summary.migrations.length, 1);
        assert.equal(summary.migrations[0].mode, strategy);
        process.stderr.write(`# ${strategy}: downtime ${summary.downtimeMs.toFixed(1)} ms, peak latency ${summary.peakLatencyMs.toFixed(1)} ms, window ${summary.migrations[0].wallMs.toFixed(0)} ms, duplicates ${counts.duplicates}, replayed ${summary.replayedRecords}\n`);
      }
      // The embedded runs moved exactly the key groups Flink's ranges over 4 take elsewhere: 32..127 (96 of 128).
      for (const name of ['spacker-fluid', 'spacker-all-at-once']) {
        const summary = JSON.parse(readFileSync(join(plan.dir, name, 'summary.json'), 'utf8')) as { records: number; expectedRecords: number; migrations: { keyGroups: number }[] };
        assert.equal(summary.records, summary.expectedRecords);
        assert.deepEqual(summary.migrations.map((m) => m.keyGroups), [96]);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('a job that fails on the cluster', { skip, timeout: 90_000 }, () => {
  it('is one error showing its root exception; the job is cancelled, the run marked failed, an earlier run kept', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spacker-flink-failing-'));
    try {
      mkdirSync(join(out, 'earlier'));
      writeFileSync(join(out, 'earlier', 'summary.json'), '{}');
      const config = resolveConfig([parseSetArgs(['spacker.engine=flink', 'spacker.strategy=flink-restart', 'spector.reconfig.scenario=none', 'spacker.parallelism=2', 'spacker.workload.n_keys=1024', 'spacker.rate.per_task=100', 'spacker.runtime=20'])]);
      const plan = flinkPlan(config, 'micro-benchmark');
      // The TaskManagers cannot create the run folder (as on a cluster whose machines do not share it): the
      // stateful operator's open() throws, and Flink restarts the job again and again (checkpoints on).
      const unwritable = '/proc/spacker-no-such-run';
      const failing = { ...plan, args: (p: number, _output: string, t: number) => plan.args(p, unwritable, t) };
      const rest = new FlinkRest(plan.restUrl);
      const before = new Set((await rest.listJobs()).map((j) => j.jid));
      await assert.rejects(
        runFlinkJob({ resultsParent: out, runName: 'failing', config, plan: failing, workload: { name: 'micro-benchmark', params: {} } }),
        (err: Error) => {
          assert.match(err.message, /Flink job \w+ at http:\/\/127\.0\.0\.1:\d+ is (RESTARTING|FAILING|FAILED)/);
          assert.match(err.message, /spacker-no-such-run/, 'the root exception names what failed');
          return true;
        },
      );
      assert.ok(existsSync(join(out, 'failing.failed', 'FAILED')), 'the run folder is marked failed');
      assert.ok(!existsSync(join(out, 'failing')));
      assert.equal(readFileSync(join(out, 'earlier', 'summary.json'), 'utf8'), '{}', 'an earlier run is kept');
      // The failing job was cancelled: it does not keep restarting on the cluster.
      const mine = (await rest.listJobs()).filter((j) => !before.has(j.jid));
      assert.equal(mine.length, 1);
      let state = mine[0].state;
      for (const deadline = Date.now() + 30_000; state !== 'CANCELED' && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) state = (await rest.job(mine[0].jid)).state;
      assert.equal(state, 'CANCELED');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('spacker.engine=flink: what it refuses before anything is written', () => {
  it('refuses a Flink strategy with the embedded engine and a scenario Flink cannot express, naming the allowed values', async () => {
    const { migrationSetup } = await import('../../experiments/src/run/migration-setup.ts');
    const embedded = resolveConfig([parseSetArgs(['spacker.strategy=flink-rescale'])]);
    assert.throws(() => migrationSetup(embedded, { all: () => [] } as never), /spacker\.strategy.*spacker\.engine=embedded one of spacker, restart.*flink-restart and flink-rescale need spacker\.engine=flink/);
    const shuffle = resolveConfig([parseSetArgs(['spacker.engine=flink', 'spacker.strategy=flink-rescale', 'spector.reconfig.scenario=shuffle'])]);
    assert.throws(() => flinkPlan(shuffle, 'micro-benchmark'), /spector\.reconfig\.scenario.*rescale \(scale-out or scale-in of the whole key-group range.*or none/);
    const embeddedStrategy = resolveConfig([parseSetArgs(['spacker.engine=flink', 'spacker.strategy=spacker'])]);
    assert.throws(() => flinkPlan(embeddedStrategy, 'micro-benchmark'), /with spacker\.engine=flink one of flink-restart, flink-rescale/);
  });
});
