/** FlinkRest against a real cluster: set SPACKER_FLINK_REST (e.g. the URL 'npm run services -- flink status' prints). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlinkRest } from './rest-client.ts';

const url = process.env.SPACKER_FLINK_REST;
const skip = url === undefined || url === '' ? 'SPACKER_FLINK_REST is not set (start a cluster with npm run services -- flink up, then SPACKER_FLINK_REST=http://127.0.0.1:PORT)' : false;

test('overview, config and listJobs on a real Flink cluster', { skip }, async () => {
  const f = new FlinkRest(url ?? '', { timeoutMs: 5000 });
  const o = await f.overview();
  assert.ok(o.taskmanagers >= 1, `no TaskManager registered at ${f.baseUrl}`);
  assert.equal(typeof (await f.config())['flink-version'], 'string');
  assert.ok(Array.isArray(await f.listJobs()));
});
