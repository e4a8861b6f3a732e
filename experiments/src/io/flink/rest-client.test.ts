/** FlinkRest against a fake server replaying bodies recorded from a real Flink 1.20.5 cluster (fixtures/). */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FlinkRest, FlinkRestError, parseRestUrl } from './rest-client.ts';

const fx = (name: string): string => readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
const JOB = 'a276d6cfb6a8661e2f4f21e959357616';
const VTX = 'b71731f1c0df9c3076c4a455334d0ad6';
const JAR = '14cdb987-2d17-400e-9768-ade87b1f4018_tiny-job-1.jar';

interface Seen { method: string; url: string; body: string; contentType: string }
type Reply = [number, string] | 'hang';

describe('FlinkRest against recorded responses', () => {
  let server: Server;
  let url = '';
  const seen: Seen[] = [];
  const routes = new Map<string, () => Reply>();
  const route = (key: string, reply: () => Reply): void => void routes.set(key, reply);

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('latin1'), contentType: req.headers['content-type'] ?? '' });
        const reply = routes.get(`${req.method} ${req.url}`)?.() ?? [404, fx('err-404-unknown-path')];
        if (reply === 'hang') return;
        res.writeHead(reply[0], { 'Content-Type': 'application/json; charset=UTF-8' }).end(reply[1]);
      });
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    route('GET /overview', () => [200, fx('overview')]);
    route('GET /config', () => [200, fx('config')]);
    route('POST /jars/upload', () => [200, fx('jars-upload')]);
    route(`POST /jars/${JAR}/run`, () => [200, fx('jars-run')]);
    route(`DELETE /jars/${JAR}`, () => [200, '{}']);
    route('DELETE /jars/nope.jar', () => [400, fx('err-400-delete-jar')]);
    route('GET /jobs/overview', () => [200, fx('jobs-overview')]);
    route(`GET /jobs/${JOB}`, () => [200, fx('job-running')]);
    route(`GET /jobs/${JOB}/exceptions`, () => [200, fx('exceptions-none')]);
    route(`POST /jobs/${JOB}/stop`, () => [200, fx('stop')]);
    route(`GET /jobs/${JOB}/savepoints/eefe501a9aa3c317fe455e04c23bdc69`, () => [200, fx('savepoint-completed')]);
    route(`PATCH /jobs/${JOB}?mode=cancel`, () => [202, '{}']);
    route(`GET /jobs/${JOB}/resource-requirements`, () => [200, fx('resource-requirements')]);
    route(`PUT /jobs/${JOB}/resource-requirements`, () => [200, '{}']);
    route(`GET /jobs/${JOB}/vertices/${VTX}/metrics?get=0.numRecordsIn,0.numRecordsOutPerSecond,0.nope`, () => [200, fx('vertex-metrics')]);
    route(`GET /jobs/${JOB}/checkpoints`, () => [200, fx('checkpoints')]);
    route('GET /jobs/00000000000000000000000000000000', () => [404, fx('err-404-job-not-found')]);
    route('GET /jobs/xyz', () => [400, fx('err-400-bad-jobid')]);
  });
  after(() => new Promise<void>((res) => server.close(() => res())));
  const last = (): Seen => seen[seen.length - 1];

  test('the base URL is validated and named in the error', () => {
    assert.equal(parseRestUrl('http://127.0.0.1:8081/'), 'http://127.0.0.1:8081');
    for (const bad of ['127.0.0.1:8081', 'ftp://h:1', 'http://h', 'http://h:1?x=1', 'nonsense']) {
      assert.throws(() => new FlinkRest(bad), (e: unknown) => e instanceof FlinkRestError && e.message.includes(JSON.stringify(bad)) && e.code === 'FLINK_REST');
    }
  });

  test('overview, config, listJobs, job, checkpoints', async () => {
    const f = new FlinkRest(url);
    const o = await f.overview();
    assert.equal(o['slots-total'], 2);
    assert.equal(o['flink-version'], '1.20.5');
    assert.equal((await f.config())['flink-version'], '1.20.5');
    const jobs = await f.listJobs();
    assert.ok(jobs.length >= 1 && jobs.every((j) => typeof j.jid === 'string'));
    const j = await f.job(JOB);
    assert.equal(j.state, 'RUNNING');
    assert.deepEqual(j.vertices.map((v) => v.parallelism), [1, 1]);
    const c = await f.checkpoints(JOB);
    assert.deepEqual(c.counts, { restored: 1, total: 1310, in_progress: 0, completed: 1309, failed: 1 });
    assert.ok(c.latestCompleted !== undefined && c.latestCompleted.externalPath.startsWith('file:/'));
  });

  test('uploadJar sends multipart jarfile and returns the jar id; runJar sends programArgsList', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flink-rest-'));
    const jar = join(dir, 'tiny-job-1.jar');
    writeFileSync(jar, 'PK fake jar');
    const f = new FlinkRest(url);
    assert.equal(await f.uploadJar(jar), JAR);
    assert.match(last().contentType, /^multipart\/form-data; boundary=/);
    assert.match(last().body, /name="jarfile"; filename="tiny-job-1.jar"/);
    await assert.rejects(f.uploadJar(join(dir, 'missing.jar')), /cannot read the jar/);
    const id = await f.runJar(JAR, { entryClass: 'tiny.TinyJob', parallelism: 2, programArgs: ['--rate', '100'], savepointPath: 'file:/sp', allowNonRestoredState: true });
    assert.equal(id, JOB);
    assert.deepEqual(JSON.parse(last().body), { entryClass: 'tiny.TinyJob', parallelism: 2, programArgsList: ['--rate', '100'], savepointPath: 'file:/sp', allowNonRestoredState: true });
    await f.deleteJar(JAR);
    assert.equal(last().method, 'DELETE');
  });

  test('stopWithSavepoint, pollSavepoint, cancel, resource requirements, metrics, exceptions', async () => {
    const f = new FlinkRest(url, { pollIntervalMs: 10 });
    const trigger = await f.stopWithSavepoint(JOB, 'file:///sp', { drain: true });
    assert.deepEqual(JSON.parse(last().body), { targetDirectory: 'file:///sp', drain: true });
    assert.match(await f.pollSavepoint(JOB, trigger, { timeoutMs: 1000 }), /savepoint-a276d6-/);
    await f.cancel(JOB);
    assert.equal(last().url, `/jobs/${JOB}?mode=cancel`);
    const rr = await f.resourceRequirements(JOB);
    assert.deepEqual(rr[VTX], { parallelism: { lowerBound: 1, upperBound: 1 } });
    rr[VTX].parallelism.upperBound = 2;
    await f.putResourceRequirements(JOB, rr);
    assert.equal(JSON.parse(last().body)[VTX].parallelism.upperBound, 2);
    assert.deepEqual(await f.vertexMetrics(JOB, VTX, ['0.numRecordsIn', '0.numRecordsOutPerSecond', '0.nope']), { '0.numRecordsIn': '49606', '0.numRecordsOutPerSecond': '0.0' });
    assert.equal(await f.jobException(JOB), undefined);
    assert.deepEqual((await f.waitForJobState(JOB, ['RUNNING'], 1000)).state, 'RUNNING');
  });

  test('a FAILED job while waiting carries the root exception; a savepoint still in progress times out; a failed savepoint names its cause', async () => {
    const FAIL = 'f0000000000000000000000000000000';
    const failed = JSON.parse(fx('job-canceled')) as Record<string, unknown>;
    failed.state = 'FAILED';
    route(`GET /jobs/${FAIL}`, () => [200, JSON.stringify(failed)]);
    route(`GET /jobs/${FAIL}/exceptions`, () => [200, fx('exceptions-failed')]);
    route(`GET /jobs/${FAIL}/savepoints/t1`, () => [200, '{"status":{"id":"IN_PROGRESS"},"operation":null}']);
    route(`GET /jobs/${FAIL}/savepoints/t2`, () => [200, '{"status":{"id":"COMPLETED"},"operation":{"failure-cause":{"class":"java.util.concurrent.CompletionException","stack-trace":"java.util.concurrent.CompletionException: Checkpoint Coordinator is suspending.\\n\\tat x"}}}']);
    const f = new FlinkRest(url, { pollIntervalMs: 10 });
    assert.equal((await f.jobException(FAIL))?.split('\n')[0], 'java.lang.IllegalStateException: tiny job asked to fail at 21');
    await assert.rejects(f.waitForJobState(FAIL, ['RUNNING'], 1000), (e: unknown) => e instanceof FlinkRestError && /is FAILED, not RUNNING: java.lang.IllegalStateException: tiny job asked to fail at 21/.test(e.message) && e.flinkErrors.length === 1);
    // Restarting after a failure (a retry-forever restart strategy): the same error at once, not a time-out.
    const RESTART = 'e0000000000000000000000000000000';
    const restarting = JSON.parse(fx('job-running')) as Record<string, unknown>;
    restarting.state = 'RESTARTING';
    route(`GET /jobs/${RESTART}`, () => [200, JSON.stringify(restarting)]);
    route(`GET /jobs/${RESTART}/exceptions`, () => [200, fx('exceptions-failed')]);
    await assert.rejects(f.waitForJobState(RESTART, ['RUNNING'], 5000), (e: unknown) => e instanceof FlinkRestError && /is RESTARTING after a failure, not RUNNING: java.lang.IllegalStateException: tiny job asked to fail at 21/.test(e.message));
    // Restarting without an exception (a rescale of the adaptive scheduler): waited for.
    const RESCALE = 'd0000000000000000000000000000000';
    route(`GET /jobs/${RESCALE}`, () => [200, JSON.stringify(restarting)]);
    route(`GET /jobs/${RESCALE}/exceptions`, () => [200, fx('exceptions-none')]);
    await assert.rejects(f.waitForJobState(RESCALE, ['RUNNING'], 60), /still RESTARTING after 60 ms/);
    await assert.rejects(f.pollSavepoint(FAIL, 't1', { timeoutMs: 50 }), /savepoint still IN_PROGRESS after 50 ms/);
    await assert.rejects(f.pollSavepoint(FAIL, 't2', { timeoutMs: 50 }), /the savepoint failed: java.util.concurrent.CompletionException: Checkpoint Coordinator is suspending/);
    await assert.rejects(f.waitForJobState(JOB, ['FINISHED'], 40), /still RUNNING after 40 ms/);
  });

  test('HTTP errors name the call, the endpoint, the status and the first line of Flink\'s errors', async () => {
    const f = new FlinkRest(url);
    await assert.rejects(f.job('00000000000000000000000000000000'), (e: unknown) => {
      assert.ok(e instanceof FlinkRestError);
      assert.equal(e.status, 404);
      assert.match(e.message, new RegExp(`^Flink REST GET /jobs/0{32} at ${url}: 404 Not Found: org.apache.flink.runtime.rest.NotFoundException: Job 0{32} not found`));
      assert.ok(!e.message.includes('\tat '));
      assert.match(e.flinkErrors[0], /FlinkJobNotFoundException/);
      return true;
    });
    await assert.rejects(f.job('xyz'), /GET \/jobs\/xyz at .*: 400 Bad Request: .*Cannot resolve path parameter \(jobid\) from value "xyz"/);
    await assert.rejects(f.deleteJar('nope.jar'), /DELETE \/jars\/nope.jar at .*: 400 .*File nope.jar does not exist/);
    route('POST /jars/upload', () => [500, fx('err-500-run-bad-class')]);
    const dir = mkdtempSync(join(tmpdir(), 'flink-rest-'));
    writeFileSync(join(dir, 'a.jar'), 'x');
    await assert.rejects(f.uploadJar(join(dir, 'a.jar')), /POST \/jars\/upload at .*: 500 Internal Server Error: Internal server error.; java.util.concurrent.CompletionException: .*entry point class 'tiny.Nope' was not found/);
    await assert.rejects(f.cancel('0'), /PATCH \/jobs\/0 at .*: 404 Not Found: Unable to load requested file \/nope./);
  });

  test('malformed JSON, a server that never answers, a closed port', async () => {
    route('GET /overview', () => [200, '{"taskmanagers":1,']);
    await assert.rejects(new FlinkRest(url).overview(), /GET \/overview at .*: 200 with a body that is not JSON/);
    route('GET /overview', () => [500, '<html>oops</html>']);
    await assert.rejects(new FlinkRest(url).overview(), /500 Internal Server Error: <html>oops<\/html>/);
    route('GET /overview', () => 'hang');
    const t0 = Date.now();
    await assert.rejects(new FlinkRest(url, { timeoutMs: 150 }).overview(), new RegExp(`Flink REST GET /overview at ${url}: did not answer within 150 ms`));
    assert.ok(Date.now() - t0 < 2000);
    const closed = createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((res) => closed.close(() => res()));
    await assert.rejects(new FlinkRest(`http://127.0.0.1:${port}`).listJobs(), new RegExp(`cannot reach the Flink cluster at http://127.0.0.1:${port} \\(ECONNREFUSED; is it running\\? 'npm run services -- flink status'\\)`));
    server.closeAllConnections();
  });
});
