/**
 * The micro-benchmark jobs from configuration: maps the `spacker.*` keys onto the workload's parameters
 * (defaults = the reference's `config.sh init()`), and names runs after the parameters that matter.
 */
import type { ResolvedConfig } from '../config/resolve.ts';
import { buildMicroBenchmark, type MicroBenchmarkParams, type MicroVariant } from '../../../workloads/src/micro-benchmark/micro-benchmark.ts';
import type { BuiltJob } from '../run/run-job.ts';
import { InvalidConfigError, ProtocolError } from '../../../engine/src/errors.ts';
import type { ExternalSource } from '../../../engine/src/runtime/task.ts';
import { parseBrokers } from '../io/endpoint.ts';
import { KafkaFeed } from '../io/kafka/kafka-feed.ts';

export function microParams(config: ResolvedConfig, variant: MicroVariant): MicroBenchmarkParams {
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
  };
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
 */
function kafkaFedJob(config: ResolvedConfig, params: MicroBenchmarkParams): BuiltJob {
  const brokers = parseBrokers(config.get('spacker.kafka.brokers'), 'spacker.kafka.brokers');
  const topic = config.get('spacker.kafka.topic');
  if (topic === '') throw new InvalidConfigError('spacker.kafka.topic', topic, 'the name of the topic to read when spacker.source=kafka');
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
    workload: { name: params.variant, params: { ...params, source: 'kafka', brokers: brokers.join(','), topic } },
    prepare: async (emit) => {
      feed = await KafkaFeed.open({ brokers, topic, parallelism: params.sourceParallelism, schedule: config.get('spacker.kafka.schedule'), timeoutMs: config.get('spacker.kafka.timeout_ms'), emit });
      emit('kafka_feed_open', `topic=${topic};partitions=${feed.partitions.length}`);
    },
    close: async () => feed?.close(),
    report: () => feed?.report(),
  };
}

/** A readable run name: the reference's EXP_NAME fields in `key-value` form. */
export function microRunName(p: MicroBenchmarkParams): string {
  return [`rate${p.perTaskRate}`, `p${p.parallelism}`, `mp${p.maxParallelism}`, `keys${p.nKeys}`, `size${p.perKeySize}`, `access${p.stateAccessRatio}`, `zipf${p.zipfSkew}`].join('-');
}
