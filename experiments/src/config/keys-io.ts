/**
 * Keys of the real services: where a job's source reads from (in-process generator or a Kafka topic) and
 * where the control plane keeps its state (in process, or ZooKeeper). The embedded default needs neither.
 */
import type { KeySpec } from './schema-types.ts';

export const IO_KEYS = {
  'spacker.source': {
    kind: 'enum',
    values: ['generator', 'kafka'],
    default: 'generator',
    doc: "where the source's records come from: generated in process, or a Kafka topic written by 'spacker generate'",
  },
  'spacker.kafka.brokers': {
    kind: 'string',
    default: '',
    doc: "Kafka bootstrap brokers HOST:PORT[,HOST:PORT] (spacker.source=kafka); '' = the broker 'npm run services -- up' started",
  },
  'spacker.kafka.topic': { kind: 'string', default: '', doc: 'topic the Kafka source reads (spacker.source=kafka); with spacker.kafka.generate, the prefix of the fresh topic' },
  'spacker.kafka.generate': {
    kind: 'bool',
    default: false,
    doc: "the run first writes its own records to a fresh topic (one partition per source subtask), replays them (spacker.kafka.schedule=replay) and deletes the topic at the end",
  },
  'spacker.kafka.schedule': {
    kind: 'enum',
    values: ['live', 'replay'],
    default: 'live',
    doc: "latency from the generator's scheduled wall-clock time (live), or records re-scheduled from the job's start (replay a pre-filled topic)",
  },
  'spacker.kafka.timeout_ms': {
    kind: 'int',
    default: 10000,
    min: 100,
    max: 600000,
    unit: 'ms',
    doc: 'bound on connecting to Kafka and on silence: no record for this long before the end markers fails the job',
  },
  'spacker.coordination': {
    kind: 'string',
    default: '',
    doc: "control-plane store: '' = in process; zookeeper://HOST:PORT/path = job registry, assignment, plan progress and reconfiguration requests in ZooKeeper",
  },
} as const satisfies Record<string, KeySpec>;
