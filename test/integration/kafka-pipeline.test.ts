// Integration against a real Kafka broker (npm run services -- up; CI starts it): `spacker generate` in another
// process writes the micro-benchmark to a topic; the job reads it back through the Kafka source, migrates
// under a chunked shuffle, and ends with exactly the state a sequential pass over the generated records leaves.
// Bad input: malformed messages counted, skipped and reported; a missing topic and a broker that is down are
// clear errors within a bounded time. Skipped, with the reason, when the services are not running (not in CI).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Partitioners } from 'kafkajs';
import type { Job } from '../../engine/src/index.ts';
import { parseSetArgs } from '../../experiments/src/config/parse.ts';
import { resolveConfig } from '../../experiments/src/config/resolve.ts';
import { jobNamed } from '../../experiments/src/jobs/index.ts';
import { runJob } from '../../experiments/src/run/run-job.ts';
import { deleteTopic, kafkaClient } from '../../experiments/src/io/kafka/client.ts';
import { encodeBegin, encodeEnd, encodeRecord } from '../../experiments/src/io/kafka/record-format.ts';
import { freePort, REPO_ROOT } from '../../scripts/services/servers.ts';
import { runCli } from '../helpers/run-cli.ts';
import { assertExactState } from '../helpers/micro-state.ts';
import { requireServices, services } from '../helpers/services.ts';

const env = await services();
const SETS = [
  'spacker.runtime=4',
  'spacker.parallelism=2',
  'spacker.source_parallelism=2',
  'spacker.rate.per_task=1500',
  'spacker.max_parallelism=64',
  'spacker.workload.n_keys=2048',
  'spacker.workload.per_key_size=64',
  'spacker.workload.state_access_ratio=50',
  'spacker.checkpoint.interval=500',
  'spacker.task_managers=2',
  'spector.reconfig.affected_keys=32',
  'spector.reconfig.affected_tasks=2',
];
const micro = jobNamed('micro-benchmark');
assert.ok(micro !== undefined);
let root: string;
before(() => (root = mkdtempSync(join(tmpdir(), 'spacker-kafka-it-'))));
const topics: string[] = [];
after(async () => {
  rmSync(root, { recursive: true, force: true });
  if (env.services !== undefined) for (const t of topics) await deleteTopic([env.services.kafka], t, 5000);
});
const topicName = (what: string): string => {
  const t = `it-${what}-${process.pid}-${Date.now()}`;
  topics.push(t);
  return t;
};

describe('integration > Kafka', { timeout: 180_000 }, () => {
  it('generate -> Kafka -> job with a chunked migration -> exact state', { skip: env.skip }, async () => {
    const svc = await requireServices();
    const topic = topicName('pipeline');
    const g = await execa(process.execPath, ['--import', 'tsx', 'experiments/src/cli/main.ts', 'generate', 'micro-benchmark', '--kafka', svc.kafka, '--topic', topic, '--partitions', '4', '--pace', 'none', ...SETS.flatMap((s) => ['--set', s])], { cwd: REPO_ROOT, timeout: 60_000, reject: false });
    assert.equal(g.exitCode, 0, `${g.stdout}\n${g.stderr}`);
    assert.match(g.stdout, /wrote 12000 records to '.*' \(4 partition\(s\)\)/);

    const config = resolveConfig([
      parseSetArgs([
        ...SETS,
        'spacker.source=kafka',
        `spacker.kafka.brokers=${svc.kafka}`,
        `spacker.kafka.topic=${topic}`,
        'spacker.kafka.schedule=replay',
        'spector.reconfig.scenario=shuffle',
        'spector.reconfig.start=1500',
        'spector.reconfig.sync_keys=2',
      ]),
    ]);
    let job: Job | undefined;
    const built = micro.build(config);
    const { dir, summary } = await runJob({ resultsParent: root, runName: 'pipeline', config, job: built, onJob: (j) => (job = j) });
    assert.ok(job !== undefined);
    assert.equal(summary.expectedRecords, 12000);
    assert.equal(summary.records, 12000, 'every record once');
    assert.equal(summary.migrations.length, 1);
    assert.ok(summary.migrations[0].chunks > 1, `chunked (${summary.migrations[0].chunks} chunks)`);
    const reference = micro.build(resolveConfig([parseSetArgs(SETS)])).graph;
    const keys = assertExactState(job, built.operator, reference, 64);
    assert.ok(keys > 500, `${keys} keys checked`);
    const written = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.deepEqual({ received: written.source.received, malformed: written.source.malformed, partitions: written.source.partitions }, { received: 12000, malformed: 0, partitions: 4 });
    const series = readFileSync(join(dir, 'series.csv'), 'utf8');
    assert.ok(series.split('\n').length > 4, 'latency measured per second');
  });

  it('malformed messages are counted, skipped and reported; the good ones are processed', { skip: env.skip }, async () => {
    const svc = await requireServices();
    const topic = topicName('malformed');
    const kafka = kafkaClient([svc.kafka], 'it-malformed', 10_000);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const good = Array.from({ length: 50 }, (_, i) => ({ partition: 0, key: `A${i % 7}`, value: encodeRecord(i, i * 10, true) }));
    await producer.send({
      topic,
      messages: [
        { partition: 0, value: encodeBegin(Date.now(), 50) },
        ...good.slice(0, 20),
        { partition: 0, key: 'A1', value: Buffer.from('not json at all') },
        { partition: 0, key: 'A1', value: Buffer.from('{"s":-1,"t":3,"v":true}') },
        { partition: 0, key: null, value: encodeRecord(99, 5, true) },
        ...good.slice(20),
        { partition: 0, value: encodeEnd(50) },
      ],
    });
    await producer.disconnect();
    const r = await runCli(['job', 'micro-benchmark', '--out', root, '--run', 'malformed', ...['spacker.source=kafka', `spacker.kafka.brokers=${svc.kafka}`, `spacker.kafka.topic=${topic}`, 'spacker.kafka.schedule=replay', 'spacker.runtime=2', 'spacker.parallelism=2', 'spacker.max_parallelism=16', 'spacker.workload.n_keys=64', 'spacker.workload.per_key_size=16', 'spector.reconfig.affected_keys=8', 'spector.reconfig.affected_tasks=2', 'spector.reconfig.scenario=none'].flatMap((s) => ['--set', s])]);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(root, 'micro-benchmark', 'malformed');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.records, 50, 'the 50 good records');
    assert.equal(summary.source.malformed, 3);
    const events = readFileSync(join(dir, 'events.csv'), 'utf8');
    const reasons = events.split('\n').filter((l) => l.includes('kafka_malformed'));
    assert.equal(reasons.length, 3, events);
    assert.match(reasons[0], /offset=21;reason=not JSON/);
    assert.match(reasons[1], /sequence\) is not a whole number/);
    assert.match(reasons[2], /without a message key/);
  });

  it('a topic that does not exist: a clear error naming it, nothing run', { skip: env.skip }, async () => {
    const svc = await requireServices();
    const t0 = performance.now();
    const r = await runCli(['job', 'micro-benchmark', '--out', root, '--run', 'missing', '--set', 'spacker.source=kafka', '--set', `spacker.kafka.brokers=${svc.kafka}`, '--set', 'spacker.kafka.topic=no-such-topic-xyz', '--set', 'spacker.runtime=2']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /topic 'no-such-topic-xyz' does not exist on 127\.0\.0\.1:\d+/);
    assert.ok(performance.now() - t0 < 15_000);
  });

  it('a broker that is down: generate and the job fail clearly within their bound', { skip: env.skip }, async () => {
    const port = await freePort();
    const t0 = performance.now();
    const g = await runCli(['generate', 'micro-benchmark', '--kafka', `127.0.0.1:${port}`, '--topic', 't', '--timeout', '2000', '--set', 'spacker.runtime=1']);
    assert.equal(g.code, 2);
    assert.match(g.stderr, new RegExp(`cannot reach the Kafka broker at 127\\.0\\.0\\.1:${port}`));
    const j = await runCli(['job', 'micro-benchmark', '--out', root, '--run', 'down', '--set', 'spacker.source=kafka', '--set', `spacker.kafka.brokers=127.0.0.1:${port}`, '--set', 'spacker.kafka.topic=t', '--set', 'spacker.kafka.timeout_ms=2000', '--set', 'spacker.runtime=1']);
    assert.equal(j.code, 2);
    assert.match(j.stderr, /cannot reach the Kafka broker/);
    assert.ok(performance.now() - t0 < 20_000, `${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const bad = await runCli(['generate', 'micro-benchmark', '--kafka', 'localhost', '--topic', 't']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid value for '--kafka'.*HOST:PORT/);
  });
});
