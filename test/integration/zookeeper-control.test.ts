// Integration against a real ZooKeeper (npm run services -- up; CI starts it): a job started with
// spacker.coordination registers itself; `spacker reconfigure` from another process triggers a chunked
// migration through the requests node and sees it done; invalid requests are rejected with the reason written
// back; a job id that does not exist and an unreachable ZooKeeper are clear errors; `spacker status` prints
// jobs, assignments and progress. Skipped, with the reason, when the services are not running (not in CI).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parseZooKeeperUrl } from '../../experiments/src/io/endpoint.ts';
import { jobStatus, withControlPlane } from '../../experiments/src/io/zookeeper/control-client.ts';
import { freePort, REPO_ROOT, sleep } from '../../scripts/services/servers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { requireServices, services } from '../helpers/services.ts';

const env = await services();
let root: string;
before(() => (root = mkdtempSync(join(tmpdir(), 'spacker-zk-it-'))));
after(() => rmSync(root, { recursive: true, force: true }));

/** The CLI in another process (bounded). */
async function cli(args: string[], timeoutMs = 60_000): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const r = await execa(process.execPath, ['--import', 'tsx', 'experiments/src/cli/main.ts', ...args], { cwd: REPO_ROOT, timeout: timeoutMs, reject: false });
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('integration > ZooKeeper control plane', { timeout: 180_000 }, () => {
  it('external reconfigure through a watched node: rejected with reasons, then a chunked migration done and reported', { skip: env.skip }, async () => {
    const svc = await requireServices();
    const url = `zookeeper://${svc.zookeeper}/spacker-it-${process.pid}`;
    const address = parseZooKeeperUrl(url, 'url');
    const id = 'external-1';
    const job = cli(
      [
        'job',
        'micro-benchmark',
        '--out',
        root,
        '--run',
        id,
        ...[
          `spacker.coordination=${url}`,
          'spector.reconfig.scenario=none',
          'spacker.runtime=20',
          'spacker.parallelism=4',
          'spacker.rate.per_task=500',
          'spacker.max_parallelism=64',
          'spacker.workload.n_keys=1024',
          'spacker.workload.per_key_size=256',
          'spacker.workload.state_access_ratio=50',
          'spector.reconfig.affected_keys=32',
          'spector.reconfig.affected_tasks=4',
          'spacker.task_managers=2',
        ].flatMap((s) => ['--set', s]),
      ],
      90_000,
    );
    try {
      // Registered and alive.
      const deadline = performance.now() + 20_000;
      for (;;) {
        const s = await withControlPlane(address, 5000, (zk) => jobStatus(zk, address, id)).catch(() => undefined);
        if (s?.alive === true && s.assignment !== undefined) break;
        assert.ok(performance.now() < deadline, 'the job registered within 20 s');
        await sleep(250);
      }
      const initial = (await withControlPlane(address, 5000, (zk) => jobStatus(zk, address, id))).assignment?.assignment;
      assert.equal(initial?.length, 4);

      // Invalid requests: rejected, with the reason written back.
      const badTarget = join(root, 'bad-target.json');
      writeFileSync(badTarget, JSON.stringify({ assignment: { 0: [0, 1], 1: [99] } }));
      const bad = await cli(['reconfigure', '--coordination', url, '--job', id, '--target', badTarget, '--timeout', '15000']);
      assert.equal(bad.exitCode, 2, `${bad.stdout}\n${bad.stderr}`);
      assert.match(bad.stderr, /rejected the request .*req-\d+: /);
      const badOrder = await cli(['reconfigure', '--coordination', url, '--job', id, '--scenario', 'shuffle', '--order', 'sideways', '--timeout', '15000']);
      assert.equal(badOrder.exitCode, 2);
      assert.match(badOrder.stderr, /strategy.order "sideways"; allowed: default, reverse/);
      const noJob = await cli(['reconfigure', '--coordination', url, '--job', 'no-such-job', '--scenario', 'shuffle']);
      assert.equal(noJob.exitCode, 2);
      assert.match(noJob.stderr, new RegExp(`no job 'no-such-job' under zookeeper://.*\\(jobs there: .*${id}`));

      // A valid request from another process: accepted, migrated in chunks, done.
      const ok = await cli(['reconfigure', '--coordination', url, '--job', id, '--scenario', 'shuffle', '--sync-keys', '2', '--timeout', '30000']);
      assert.equal(ok.exitCode, 0, `${ok.stdout}\n${ok.stderr}`);
      assert.match(ok.stdout, /request (accepted|done)/);
      assert.match(ok.stdout, /done: 32 key groups in \d+ chunk\(s\)/);
      // hot-first plans with the rates the job measured (this path once planned without them and failed).
      const hot = await cli(['reconfigure', '--coordination', url, '--job', id, '--scenario', 'shuffle', '--order', 'hot-first', '--sync-keys', '4', '--timeout', '30000']);
      assert.equal(hot.exitCode, 0, `${hot.stdout}\n${hot.stderr}`);
      assert.match(hot.stdout, /done: \d+ key groups in \d+ chunk\(s\)/);

      const status = await cli(['status', '--coordination', url, '--job', id]);
      assert.equal(status.exitCode, 0, status.stderr);
      // Running, or just finished on a loaded machine (the 20 s job's alive session was seen above).
      assert.match(status.stdout, new RegExp(`job ${id}: (running \\(session alive\\)|finished \\(no live session\\))`));
      assert.match(status.stdout, /2 migration\(s\) done/);
      assert.match(status.stdout, /request req-\d+: rejected \(/);
      assert.match(status.stdout, /request req-\d+: done/);
    } finally {
      const r = await job;
      assert.equal(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
    }
    const summary = JSON.parse(readFileSync(join(root, 'micro-benchmark', id, 'summary.json'), 'utf8'));
    assert.equal(summary.records, summary.expectedRecords);
    assert.deepEqual(summary.coordination.requests, { accepted: 2, rejected: 2 });
    const final = await withControlPlane(address, 5000, (zk) => jobStatus(zk, address, id));
    assert.equal(final.registry?.status, 'finished');
    assert.equal(final.alive, false, 'the alive node goes with the job');
    const moved = final.assignment?.assignment.reduce((n, kgs, s) => n + kgs.filter((kg) => !(initialOf(kg, 64, 4) === s)).length, 0);
    assert.ok(moved !== undefined && moved > 0, 'the assignment in ZooKeeper is the migrated one');
    const late = await cli(['reconfigure', '--coordination', url, '--job', id, '--scenario', 'shuffle']);
    assert.equal(late.exitCode, 2);
    assert.match(late.stderr, /is not running \(status: finished\)/);
  });

  it('ZooKeeper unreachable: status, reconfigure and a job fail clearly within their bound', { skip: env.skip }, async () => {
    const port = await freePort();
    const t0 = performance.now();
    const s = await runCli(['status', '--coordination', `zookeeper://127.0.0.1:${port}/x`]);
    assert.equal(s.code, 2);
    assert.match(s.stderr, new RegExp(`cannot reach ZooKeeper at 127\\.0\\.0\\.1:${port} within 5000 ms`));
    const j = await runCli(['job', 'micro-benchmark', '--out', root, '--set', `spacker.coordination=zookeeper://127.0.0.1:${port}/x`, '--set', 'spacker.runtime=1']);
    assert.equal(j.code, 2);
    assert.match(j.stderr, /cannot reach ZooKeeper/);
    assert.ok(performance.now() - t0 < 15_000);
    const bad = await runCli(['status', '--coordination', 'http://127.0.0.1:2181']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid value for '--coordination'.*zookeeper:\/\/HOST:PORT\/path/);
  });
});

/** Flink's initial owner of a key group (contiguous ranges). */
function initialOf(kg: number, maxParallelism: number, parallelism: number): number {
  return Math.floor((kg * parallelism) / maxParallelism);
}
