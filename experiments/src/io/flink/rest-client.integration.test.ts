/**
 * FlinkRest against a real cluster: SPACKER_FLINK_REST, or the cluster `npm run services -- flink up` recorded
 * (started or attached). Without either the test says why it skipped; under CI=true (where .ci/run starts
 * a cluster) that is a failure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlinkRest } from './rest-client.ts';
import { recordedFlinkRestUrl } from '../../../../scripts/services/state.ts';
import { SERVICES_DIR } from '../../../../scripts/services/servers.ts';

const env = process.env.SPACKER_FLINK_REST;
const url = env !== undefined && env !== '' ? env : recordedFlinkRestUrl(SERVICES_DIR);
const reason = 'no Flink cluster: SPACKER_FLINK_REST is not set and none is recorded (start one with npm run services -- flink up)';
if (url === undefined && process.env.CI === 'true') assert.fail(`CI=true and ${reason}`);
const skip = url === undefined ? reason : false;

test('overview, config and listJobs on a real Flink cluster', { skip }, async () => {
  const f = new FlinkRest(url ?? '', { timeoutMs: 5000 });
  const o = await f.overview();
  assert.ok(o.taskmanagers >= 1, `no TaskManager registered at ${f.baseUrl}`);
  assert.equal(typeof (await f.config())['flink-version'], 'string');
  assert.ok(Array.isArray(await f.listJobs()));
});
