/**
 * kafkajs clients with bounded timeouts and quiet logs (failures surface as errors, not console noise), and
 * the checks every Kafka user here makes first: the broker answers, the topic exists.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { EngineError } from '../../../../engine/src/index.ts';

/** A broker that cannot be reached, a topic that does not exist, a stream that broke off. */
export class KafkaIoError extends EngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KAFKA', message, options);
  }
}

export function kafkaClient(brokers: string[], clientId: string, timeoutMs: number): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: Math.max(timeoutMs, 1000),
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  });
}

/** Rejects with `message` when `p` has not settled within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new KafkaIoError(message)), ms)))]).finally(() => clearTimeout(timer));
}

/** Connects an admin client, or fails within `timeoutMs` naming the brokers. */
export async function connectAdmin(kafka: Kafka, brokers: string[], timeoutMs: number): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await withTimeout(admin.connect(), timeoutMs, `cannot reach the Kafka broker at ${brokers.join(',')} within ${timeoutMs} ms (is it running? 'npm run services -- status')`);
    return admin;
  } catch (err) {
    await admin.disconnect().catch(() => undefined);
    if (err instanceof KafkaIoError) throw err;
    throw new KafkaIoError(`cannot reach the Kafka broker at ${brokers.join(',')}: ${(err as Error).message} (is it running? 'npm run services -- status')`, { cause: err });
  }
}

/** The partition ids of `topic`, or a clear error when it does not exist. */
export async function topicPartitions(admin: Admin, topic: string, brokers: string[], timeoutMs: number): Promise<number[]> {
  const topics = await withTimeout(admin.listTopics(), timeoutMs, `the Kafka broker at ${brokers.join(',')} did not list its topics within ${timeoutMs} ms`);
  if (!topics.includes(topic)) {
    const shown = topics.filter((t) => !t.startsWith('__')).sort();
    throw new KafkaIoError(`topic '${topic}' does not exist on ${brokers.join(',')} (topics there: ${shown.length === 0 ? 'none' : shown.length <= 10 ? shown.join(', ') : `${shown.slice(0, 10).join(', ')} and ${shown.length - 10} more`}); write it first with 'spacker generate <workload> --kafka HOST:PORT --topic ${topic}'`);
  }
  const meta = await withTimeout(admin.fetchTopicMetadata({ topics: [topic] }), timeoutMs, `no metadata for topic '${topic}' within ${timeoutMs} ms`);
  return meta.topics[0].partitions.map((p) => p.partitionId).sort((a, b) => a - b);
}

/** Deletes a topic this code created (best effort, bounded): runs that write their own topics clean up. */
export async function deleteTopic(brokers: string[], topic: string, timeoutMs: number): Promise<void> {
  const admin = kafkaClient(brokers, 'spacker-cleanup', timeoutMs).admin();
  try {
    await withTimeout(admin.connect(), timeoutMs, 'connect');
    await withTimeout(admin.deleteTopics({ topics: [topic], timeout: timeoutMs }), timeoutMs, 'delete');
  } catch {
    // A topic left behind costs disk, not correctness.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
