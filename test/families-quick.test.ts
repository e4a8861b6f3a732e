// Every experiment family runs end to end with --quick (what `npm run exp:<family> -- --quick` does): every
// run completes with all its records, each run that plans a migration performed one, and the family table
// lists every run. Each family runs in a process of its own, three at a time: the runs are bound by their
// wall-clock length, not by the CPU (quick runs are small), so about five minutes on 2 cores for all of them
// instead of thirteen one after the other. It runs when CI=true (or SPACKER_FULL_TESTS=1); a plain `npm test`
// skips it and says so (micro-bench-multi-source still runs whole in run.test.ts).
// `--test-name-pattern="stock:"` runs one family.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { EXPERIMENTS } from '../experiments/src/catalogue/index.ts';
import { services } from './helpers/services.ts';

const FULL = process.env.CI === 'true' || process.env.SPACKER_FULL_TESTS === '1';
// Families that need Kafka run when it is up (CI starts it; there a missing broker fails the family's run).
const kafka = FULL ? await services() : { skip: false as const };
let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-families-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** `spacker <args>` in a child process; its exit code and what it printed. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'experiments/src/cli/main.ts', ...args], { maxBuffer: 64 * 2 ** 20, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('experiments > every family with --quick', { concurrency: 3 }, () => {
  for (const exp of EXPERIMENTS) {
    // A family on the Flink cluster runs in test/integration/flink-rescale.test.ts (its checks are the cluster's).
    const skip = exp.requires?.includes('flink') ? 'runs with --quick in test/integration/flink-rescale.test.ts' : !FULL ? 'about ten minutes for all families: runs with CI=true or SPACKER_FULL_TESTS=1' : exp.requires?.includes('kafka') ? kafka.skip : false;
    it(`${exp.name}: every run completes and the table lists it`, { skip }, async () => {
      const t0 = performance.now();
      const r = await cli(['run', exp.name, '--quick', '--out', root]);
      // The reasons ('failed: <run>: ...') are printed on stdout, after the progress on stderr: both, reasons first.
      const reasons = r.stdout.split('\n').filter((l) => l.startsWith('failed: '));
      assert.equal(r.code, 0, [...reasons, r.stderr.slice(-4000)].join('\n'));
      const dir = join(root, exp.name);
      const runs = exp.runs({ quick: true }).map((s) => s.name);
      assert.ok(!readdirSync(dir).some((n) => n.includes('.failed') || n.includes('.tmp')), 'no failed or unfinished run');
      for (const run of runs) {
        const summaryPath = join(dir, run, 'summary.json');
        assert.ok(existsSync(summaryPath), `${run} is complete`);
        const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
        assert.equal(summary.records, summary.expectedRecords, `${run}: every record completed`);
        const config = JSON.parse(readFileSync(join(dir, run, 'config.json'), 'utf8'));
        if (config.config['spector.reconfig.scenario'] !== 'none') assert.ok(summary.migrations.length >= 1, `${run}: migrated`);
      }
      const table = readFileSync(join(dir, 'table.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
      assert.deepEqual(table, runs);
      process.stderr.write(`# ${exp.name} --quick: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    });
  }
});
