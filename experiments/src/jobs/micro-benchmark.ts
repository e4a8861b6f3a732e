/**
 * The micro-benchmark jobs from configuration: maps the `spacker.*` keys onto the workload's parameters
 * (defaults = the reference's `config.sh init()`), and names runs after the parameters that matter.
 */
import type { ResolvedConfig } from '../config/resolve.ts';
import { buildMicroBenchmark, type MicroBenchmarkParams, type MicroVariant } from '../../../workloads/src/micro-benchmark/micro-benchmark.ts';
import type { BuiltJob } from '../run/run-job.ts';
import { InvalidConfigError, ProtocolError } from '../../../engine/src/index.ts';
import type { ExternalSource } from '../../../engine/src/index.ts';
import { parseBrokers } from '../io/endpoint.ts';
import { KafkaFeed } from '../io/kafka/kafka-feed.ts';
import { deleteTopic } from '../io/kafka/client.ts';
import { generateToKafka } from '../io/kafka/generate.ts';
import { generatedSource } from '../io/kafka/workload-records.ts';
import { localKafka } from '../io/local-services.ts';

export function microParams(config: ResolvedConfig, variant: MicroVariant): MicroBenchmarkParams {
  const physical = rescaleDeployment(config);
  return {
    variant,
    runtimeS: config.get('spacker.runtime'),
    perTaskRate: config.get('spacker.rate.per_task'),
    parallelism: config.get('spacker.parallelism'),
    sourceParallelism: config.get('spacker.source_parallelism'),
    maxParallelism: config.get('spacker.max_parallelism'),
    nKeys: config.get('spacker.workload.n_keys'),
    perKeySize: config.get('spacker.workload.per_key_size'),
    stateAccessRatio: config.get('spacker.workload.state_access_ratio'),
    zipfSkew: config.get('spacker.workload.zipf_skew'),
    busyWorkMs: config.get('spacker.workload.busy_work_ms'),
    seed: config.get('spacker.seed'),
    preload: config.get('spacker.workload.preload'),
    timeScale: config.get('spacker.time_scale'),
    ...(physical === undefined ? {} : { physicalParallelism: physical }),
  };
}

/**
 * Scenario `rescale` on the embedded engine scaling out from spacker.parallelism = p to
 * spacker.reconfig.target_parallelism = q > p: the stateful map is deployed with q subtasks, p of them holding
 * Flink's ranges over p (the rest idle), so that the migration moves exactly the key groups Flink's ranges
 * over q take elsewhere. Undefined otherwise (and for a q out of range, which migrationSetup refuses by name).
 */
function rescaleDeployment(config: ResolvedConfig): number | undefined {
  if (config.get('spacker.engine') !== 'embedded' || config.get('spector.reconfig.scenario') !== 'rescale') return undefined;
  const q = config.get('spacker.reconfig.target_parallelism');
  return q > config.get('spacker.parallelism') && q <= config.get('spacker.max_parallelism') ? q : undefined;
}

export function buildMicroJob(config: ResolvedConfig, variant: MicroVariant): BuiltJob {
  const params = microParams(config, variant);
  if (config.get('spacker.source') === 'kafka') return kafkaFedJob(config, params);
  const { graph, operator, totalRecords } = buildMicroBenchmark(params);
  return { graph, operator, totalRecords, workload: { name: variant, params: { ...params } } };
}

/**
 * The same job fed from a Kafka topic that `spacker generate` wrote with this configuration: the feed connects
 * (and checks the topic) in `prepare`, before the job's clock starts. Expected records: the begin markers'.
 * With spacker.kafka.generate the run writes its own records to a fresh topic first and deletes it at the end.
 */
function kafkaFedJob(config: ResolvedConfig, params: MicroBenchmarkParams): BuiltJob {
  const brokersKey = config.get('spacker.kafka.brokers');
  // An empty key means the local broker; it is looked up when the run starts (listing the family needs none).
  let brokers = brokersKey === '' ? [] : parseBrokers(brokersKey, 'spacker.kafka.brokers');
  const generate = config.get('spacker.kafka.generate');
  const schedule = config.get('spacker.kafka.schedule');
  const timeoutMs = config.get('spacker.kafka.timeout_ms');
  let topic = config.get('spacker.kafka.topic');
  if (topic === '' && !generate) throw new InvalidConfigError('spacker.kafka.topic', topic, 'the name of the topic to read when spacker.source=kafka (or spacker.kafka.generate=true)');
  if (generate && schedule !== 'replay') throw new InvalidConfigError('spacker.kafka.schedule', schedule, 'replay when spacker.kafka.generate=true (the topic is written before the job starts)');
  let feed: KafkaFeed | undefined;
  const { graph, operator, totalRecords } = buildMicroBenchmark(params, (subtask) => {
    if (feed === undefined) throw new ProtocolError('the Kafka feed is not open (BuiltJob.prepare was not awaited)');
    return feed.sourceFor(subtask) as ExternalSource<boolean>;
  });
  return {
    graph,
    operator,
    get totalRecords() {
      return feed === undefined || feed.expectedRecords === 0 ? totalRecords : feed.expectedRecords;
    },
    workload: { name: params.variant, params: { ...params, source: 'kafka', brokers: brokersKey || 'local', topic, generate, schedule } },
    prepare: async (emit) => {
      if (brokers.length === 0) brokers = parseBrokers(localKafka('spacker.kafka.brokers'), 'spacker.kafka.brokers');
      if (generate) {
        topic = `${topic || 'spacker'}-${process.pid}-${Date.now()}`;
        const embedded = buildMicroBenchmark(params);
        const g = await generateToKafka({ brokers, topic, partitions: params.sourceParallelism, source: generatedSource(embedded.graph), maxParallelism: params.maxParallelism, pace: 'none', timeoutMs });
        emit({ event: 'kafka_generated', topic, records: g.records, partitions: g.partitions, seconds: g.seconds });
      }
      feed = await KafkaFeed.open({ brokers, topic, parallelism: params.sourceParallelism, schedule, timeoutMs, emit });
      emit({ event: 'kafka_feed_open', topic, partitions: feed.partitions.length });
    },
    close: async () => {
      await feed?.close();
      if (generate) await deleteTopic(brokers, topic, timeoutMs);
    },
    report: () => feed?.report(),
  };
}

/** A readable run name: the reference's EXP_NAME fields in `key-value` form. */
export function microRunName(p: MicroBenchmarkParams): string {
  return [`rate${p.perTaskRate}`, `p${p.parallelism}`, `mp${p.maxParallelism}`, `keys${p.nKeys}`, `size${p.perKeySize}`, `access${p.stateAccessRatio}`, `zipf${p.zipfSkew}`].join('-');
}
