// Highest rate a Kafka-fed micro-benchmark sustains on this machine at p99 < 50 ms: for each total rate of a
// ladder, `spacker generate --pace live` (its own process) writes the micro-benchmark's records to a fresh
// 2-partition topic as they fall due, while `spacker job micro-benchmark` (another process, the reference's
// Kafka variant: 2 tasks, 512 key groups, 16,384 keys, 100 % access) reads them with spacker.kafka.schedule=live,
// so latency runs from the generator's schedule through the broker to the stateful operator. Sustained = every
// record completed and every per-second p99 of the job's steady part (its first two and last seconds of
// records left out) under the limit. Needs Kafka (npm run services -- up, or SPACKER_KAFKA=HOST:PORT).
// Run: npm run bench:kafka [-- --rates 1000,2000,4000,8000,16000,32000 --seconds 12 --p99-ms 50 --verbose]
import { parseArgs } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { kafkaClient, deleteTopic } from '../experiments/src/io/kafka/client.ts';
import { localKafka } from '../experiments/src/io/local-services.ts';
import { REPO_ROOT, sleep } from '../scripts/services/servers.ts';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '1000,2000,4000,8000,16000,32000' },
    seconds: { type: 'string', default: '12' },
    'p99-ms': { type: 'string', default: '50' },
    verbose: { type: 'boolean', default: false },
  },
});
const broker = process.env.SPACKER_KAFKA ?? localKafka('SPACKER_KAFKA');
const seconds = Number(values.seconds);
const limitMs = Number(values['p99-ms']);
const SETS = ['spacker.parallelism=2', 'spacker.source_parallelism=2', 'spacker.max_parallelism=512', 'spacker.workload.n_keys=16384', 'spacker.workload.per_key_size=1024', 'spacker.workload.state_access_ratio=100', 'spacker.checkpoint.interval=1000', 'spector.reconfig.scenario=none', 'spector.reconfig.affected_tasks=2', `spacker.runtime=${seconds}`];
const sets = (list: string[]): string[] => list.flatMap((s) => ['--set', s]);
const cli = ['--import', 'tsx', 'experiments/src/cli/main.ts'];

interface Trial {
  rate: number;
  ok: boolean;
  worstP99: number;
  records: number;
  expected: number;
}

async function trial(rate: number): Promise<Trial> {
  const topic = `bench-kafka-${rate}-${Date.now()}`;
  const admin = kafkaClient([broker], 'bench', 10_000).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const out = mkdtempSync(join(tmpdir(), 'spacker-bench-kafka-'));
  try {
    const perTask = rate / 2;
    const job = execa(process.execPath, [...cli, 'job', 'micro-benchmark', '--out', out, '--run', 'bench', ...sets([...SETS, `spacker.rate.per_task=${perTask}`, 'spacker.source=kafka', `spacker.kafka.brokers=${broker}`, `spacker.kafka.topic=${topic}`, 'spacker.kafka.schedule=live', 'spacker.kafka.timeout_ms=20000'])], { cwd: REPO_ROOT, reject: false, timeout: (seconds + 60) * 1000 });
    await sleep(3000); // the job's consumer joins its group first
    const gen = await execa(process.execPath, [...cli, 'generate', 'micro-benchmark', '--kafka', broker, '--topic', topic, '--pace', 'live', '--rate', String(rate), ...sets(SETS)], { cwd: REPO_ROOT, reject: false, timeout: (seconds + 60) * 1000 });
    const j = await job;
    if (gen.exitCode !== 0 || j.exitCode !== 0) throw new Error(`trial at ${rate} rec/s failed:\n${String(gen.stderr)}\n${String(j.stderr)}`);
    const dir = join(out, 'micro-benchmark', 'bench');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { records: number; expectedRecords: number };
    const rows = readFileSync(join(dir, 'series.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
      .filter((r) => r[1] === 'all' && r[2] === 'all' && Number(r[3]) > 0)
      .map((r) => ({ s: Number(r[0]), p99: Number(r[6]) }));
    const steady = rows.slice(2, -1);
    if (values.verbose) for (const l of readFileSync(join(dir, 'series.csv'), 'utf8').split('\n').filter((x) => x.includes(',all,all,'))) console.log(`    ${l}`);
    const worstP99 = steady.length ? Math.max(...steady.map((r) => r.p99)) : Infinity;
    return { rate, ok: summary.records === summary.expectedRecords && steady.length >= seconds - 4 && worstP99 < limitMs, worstP99, records: summary.records, expected: summary.expectedRecords };
  } finally {
    rmSync(out, { recursive: true, force: true });
    await deleteTopic([broker], topic, 10_000);
  }
}

console.log(`Kafka-fed micro-benchmark on ${broker}: ${seconds} s per rate, sustained = every per-second p99 < ${limitMs} ms`);
// A short trial first, not counted: the broker's JIT and the page cache warm up on it.
await trial(Number(values.rates.split(',')[0]));
let best = 0;
for (const rate of values.rates.split(',').map(Number)) {
  const t = await trial(rate);
  console.log(`  ${rate.toLocaleString('en').padStart(7)} rec/s: worst per-second p99 ${t.worstP99.toFixed(2).padStart(8)} ms, ${t.records}/${t.expected} records -> ${t.ok ? 'sustained' : 'not sustained'}`);
  if (!t.ok) break;
  best = rate;
}
console.log(`highest sustained rate: ${best.toLocaleString('en')} rec/s (p99 < ${limitMs} ms)`);
