// sweep > flink-runs: before a sweep with spacker.engine=flink runs starts, the jar and the cluster are looked
// for and the cluster's free slots counted; a cluster that is down or too small is one error naming the run and
// what it needs, and nothing is written. Against a fake REST server answering GET /overview.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSweep } from './plan.ts';
import { runSweep } from './run-sweep.ts';
import { prepareFlinkRuns, slotsNeeded } from './flink-runs.ts';

let server: Server;
let url: string;
let slots = 4;
let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'spacker-flink-runs-'));
  server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/overview') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ taskmanagers: 2, 'slots-total': 4, 'slots-available': slots, 'jobs-running': 0, 'flink-version': '1.20.5' }));
      return;
    }
    res.writeHead(404).end('{"errors":["Not found"]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
after(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

/** The flink-rescale family, quick, on the fake cluster; any existing file stands in for the jar. */
const plan = (out: string, sets: string[] = []) => planSweep({ experiment: 'flink-rescale', quick: true, out, sets: [`spacker.flink.rest=${url}`, 'spacker.flink.jar=package.json', ...sets] });

describe('sweep > flink-runs', () => {
  it('a run needs the slots of its widest stage', () => {
    assert.equal(slotsNeeded({ parallelism: 2, sourceParallelism: 1, rescale: { atMs: 1, to: 4 } }), 4);
    assert.equal(slotsNeeded({ parallelism: 4, sourceParallelism: 1, rescale: { atMs: 1, to: 2 } }), 4);
    assert.equal(slotsNeeded({ parallelism: 2, sourceParallelism: 3 }), 3);
  });

  it('with 4 free slots, the Flink runs of the family have their plans; the embedded runs none', async () => {
    slots = 4;
    const p = plan(join(root, 'ok'));
    const plans = await prepareFlinkRuns(p.runs);
    assert.deepEqual([...plans.keys()].map((r) => r.folder), ['flink-restart', 'flink-rescale']);
    assert.deepEqual([...plans.values()].map((x) => [x.strategy, x.restUrl, x.parallelism, x.rescale?.to]), [['flink-restart', url, 2, 4], ['flink-rescale', url, 2, 4]]);
  });

  it('too few free slots: one error naming the run and what it needs, before anything is written', async () => {
    slots = 3;
    const out = join(root, 'small');
    await assert.rejects(runSweep(plan(out)), /Flink cluster at http:\/\/127\.0\.0\.1:\d+ has 3 free slot\(s\) of 4; run flink-restart needs 4 \(spacker\.parallelism 2 -> 4, spacker\.source_parallelism 1\); nothing ran/);
    assert.equal(existsSync(join(out, 'flink-rescale')), false, 'nothing written: not even the embedded runs ran');
  });

  it('a cluster that does not answer, and a missing jar, are named before anything runs', async () => {
    const down = planSweep({ experiment: 'flink-rescale', quick: true, out: join(root, 'down'), sets: ['spacker.flink.rest=http://127.0.0.1:1', 'spacker.flink.jar=package.json'] });
    await assert.rejects(prepareFlinkRuns(down.runs), /the Flink cluster at http:\/\/127\.0\.0\.1:1 \(spacker\.flink\.rest\) does not answer/);
    const noJar = planSweep({ experiment: 'flink-rescale', quick: true, out: join(root, 'nojar'), sets: [`spacker.flink.rest=${url}`, 'spacker.flink.jar=/nonexistent/jobs.jar'] });
    await assert.rejects(prepareFlinkRuns(noJar.runs), /\/nonexistent\/jobs\.jar.*the Flink jobs jar is not there \(spacker\.flink\.jar\)/);
  });
});
