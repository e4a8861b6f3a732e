/**
 * `spacker generate <workload> --kafka HOST:PORT --topic T [--partitions N] [--rate R] [--pace live|none]
 * [--set key=value ...]`: writes the workload's records, each with its scheduled time, to a Kafka topic (the
 * job with the same --set keys and spacker.source=kafka reads them back). --rate is the total rate in rec/s
 * (it sets spacker.rate.per_task = R / spacker.parallelism).
 */
import type { CommandModule } from 'yargs';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import { parseSetArgs } from '../../config/parse.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { parseBrokers } from '../../io/endpoint.ts';
import { generateToKafka } from '../../io/kafka/generate.ts';
import { generatedSource } from '../../io/kafka/workload-records.ts';
import { JOBS, jobNamed } from '../../jobs/index.ts';

interface GenerateArgs {
  workload: string;
  kafka: string;
  topic: string;
  partitions?: number;
  rate?: number;
  pace: string;
  set: string[];
  timeout: number;
}

export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: 'generate <workload>',
  describe: "write a workload's records (with their scheduled times) to a Kafka topic",
  builder: (y) =>
    y
      .positional('workload', { type: 'string', demandOption: true, describe: `workload: ${JOBS.map((j) => j.name).join(', ')}` })
      .option('kafka', { type: 'string', demandOption: true, describe: 'broker HOST:PORT' })
      .option('topic', { type: 'string', demandOption: true, describe: 'topic (created when missing; must be empty)' })
      .option('partitions', { type: 'number', describe: 'partitions of a new topic (default 1); an existing topic must have as many' })
      .option('rate', { type: 'number', describe: 'total records per second (default: spacker.rate.per_task x spacker.parallelism)' })
      .option('pace', { type: 'string', default: 'live', choices: ['live', 'none'], describe: 'live: send each record when it is due; none: as fast as the broker takes them' })
      .option('set', { type: 'string', array: true, default: [], describe: 'configuration override key=value (repeatable), as for the job' })
      .option('timeout', { type: 'number', default: 10000, describe: 'ms to wait for the broker on any request' })
      .example('$0 generate micro-benchmark --kafka 127.0.0.1:9092 --topic micro --partitions 4 --rate 8000 --set spacker.runtime=30', ''),
  handler: async (args) => {
    const def = jobNamed(args.workload);
    if (def === undefined) throw new InvalidConfigError('workload', args.workload, `one of: ${JOBS.map((j) => j.name).join(', ')}`);
    const brokers = parseBrokers(args.kafka, '--kafka');
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(args.topic)) throw new InvalidConfigError('--topic', args.topic, "a Kafka topic name: 1 to 249 of letters, digits, '.', '_', '-'");
    if (args.partitions !== undefined && (!Number.isInteger(args.partitions) || args.partitions < 1 || args.partitions > 1024)) throw new InvalidConfigError('--partitions', args.partitions, 'a whole number from 1 to 1024');
    if (!Number.isInteger(args.timeout) || args.timeout < 100) throw new InvalidConfigError('--timeout', args.timeout, 'a whole number of ms >= 100');
    const layers = [parseSetArgs(args.set)];
    const base = resolveConfig(layers);
    if (args.rate !== undefined) {
      if (!(Number.isFinite(args.rate) && args.rate > 0)) throw new InvalidConfigError('--rate', args.rate, 'a number of records per second > 0');
      layers.push({ source: '--rate', values: { 'spacker.rate.per_task': args.rate / base.get('spacker.parallelism') } });
    }
    const config = resolveConfig([...layers, { source: 'generate', values: { 'spacker.source': 'generator' } }]);
    const built = def.build(config);
    const source = generatedSource(built.graph);
    const consumer = built.graph.all().find((v) => v.kind === 'keyed');
    const maxParallelism = consumer !== undefined && consumer.kind === 'keyed' ? consumer.maxParallelism : config.get('spacker.max_parallelism');
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    let lastPrint = 0;
    try {
      const r = await generateToKafka({
        brokers,
        topic: args.topic,
        partitions: args.partitions,
        source,
        maxParallelism,
        pace: args.pace as 'live' | 'none',
        timeoutMs: args.timeout,
        signal: abort.signal,
        onProgress: (sent, total) => {
          if (performance.now() - lastPrint < 1000) return;
          lastPrint = performance.now();
          process.stderr.write(`generate: ${sent} of ${total} records\n`);
        },
      });
      console.log(`wrote ${r.records} records to '${args.topic}' (${r.partitions} partition(s)) on ${brokers.join(',')} in ${r.seconds.toFixed(1)} s (${(r.records / Math.max(r.seconds, 1e-3)).toFixed(0)} rec/s); stream start ${new Date(r.startEpochMs).toISOString()}`);
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
