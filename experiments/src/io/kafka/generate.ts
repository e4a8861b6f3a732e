/**
 * Writes a workload's records to a Kafka topic (`spacker generate`): a begin marker per partition, every
 * record with its source sequence and scheduled time (partition = key group mod partitions, so each key's
 * records stay in order), then an end marker per partition. `pace: 'live'` sends each record when it is due
 * (a live feed for a running job); `'none'` sends as fast as the broker takes them (pre-fill, then replay).
 */
import { Partitioners, type Admin, type Message, type Producer } from 'kafkajs';
import { keyGroupOf } from '../../../../engine/src/index.ts';
import type { SourceVertex } from '../../../../engine/src/index.ts';
import { connectAdmin, kafkaClient, KafkaIoError, withTimeout } from './client.ts';
import { encodeBegin, encodeEnd, encodeRecord } from './record-format.ts';
import { workloadRecords } from './workload-records.ts';

export interface GenerateOptions {
  brokers: string[];
  topic: string;
  /** Partitions of a topic that does not exist yet; an existing topic must have this many if given. */
  partitions?: number;
  source: SourceVertex;
  /** Key groups of the consuming operator (partition = key group mod partitions). */
  maxParallelism: number;
  pace: 'live' | 'none';
  timeoutMs: number;
  /** Ms between now and the stream's start (live: gives the job time to see the begin markers). */
  leadMs?: number;
  signal?: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
}

export interface GenerateResult {
  records: number;
  partitions: number;
  startEpochMs: number;
  seconds: number;
}

/** Messages per produce request. */
const SEND_BATCH = 2000;
/** Records queued for the broker (all partitions) before the generator waits. */
const MAX_BACKLOG = 20_000;

export async function generateToKafka(o: GenerateOptions): Promise<GenerateResult> {
  const kafka = kafkaClient(o.brokers, 'spacker-generate', o.timeoutMs);
  const admin = await connectAdmin(kafka, o.brokers, o.timeoutMs);
  let partitions: number;
  try {
    partitions = await prepareTopic(admin, o);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const perPartition = new Array<number>(partitions).fill(0);
  let total = 0;
  for (const r of workloadRecords(o.source)) {
    perPartition[keyGroupOf(r.key, o.maxParallelism) % partitions]++;
    total++;
  }
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await withTimeout(producer.connect(), o.timeoutMs, `cannot reach the Kafka broker at ${o.brokers.join(',')} within ${o.timeoutMs} ms`);
  const t0 = performance.now();
  const startEpochMs = performance.timeOrigin + performance.now() + (o.pace === 'live' ? (o.leadMs ?? 500) : 0);
  const startClock = startEpochMs - performance.timeOrigin;
  try {
    await send(producer, o, perPartition.map((n, p) => ({ partition: p, value: encodeBegin(startEpochMs, n) })));
    let batch: Message[] = [];
    let sent = 0;
    // One produce request in flight per partition: a partition's records stay in order (its next request
    // leaves only once the previous one is acknowledged), partitions do not wait for each other, and what
    // falls due during a round trip goes out together in the next request (batching grows with the load).
    const queued: Message[][] = Array.from({ length: partitions }, () => []);
    const senders: (Promise<void> | undefined)[] = new Array(partitions).fill(undefined);
    let failure: unknown;
    const drain = async (p: number): Promise<void> => {
      while (queued[p].length > 0 && failure === undefined) {
        const list = queued[p].splice(0, SEND_BATCH);
        await send(producer, o, list).catch((err: unknown) => void (failure ??= err));
      }
      senders[p] = undefined;
    };
    const backlog = (): number => queued.reduce((n, q) => n + q.length, 0);
    const ship = async (messages: Message[]): Promise<void> => {
      if (failure !== undefined) throw failure;
      for (const m of messages) queued[m.partition as number].push(m);
      for (let p = 0; p < partitions; p++) if (senders[p] === undefined && queued[p].length > 0) senders[p] = drain(p);
      sent += messages.length;
      o.onProgress?.(sent, total);
      // Bounded memory: past MAX_BACKLOG queued records the generator waits for the broker.
      while (backlog() > MAX_BACKLOG && failure === undefined) await Promise.race(senders.filter((x) => x !== undefined));
    };
    const settle = async (): Promise<void> => {
      while (senders.some((x) => x !== undefined)) await Promise.all(senders);
      if (failure !== undefined) throw failure;
    };
    for (const r of workloadRecords(o.source)) {
      if (o.signal?.aborted) throw new KafkaIoError('generation interrupted');
      if (o.pace === 'live') {
        const wait = startClock + r.offsetMs - performance.now();
        if (wait > 0 && batch.length > 0) {
          await ship(batch);
          batch = [];
        }
        const again = startClock + r.offsetMs - performance.now();
        if (again > 1) await sleep(again);
      }
      batch.push({ partition: keyGroupOf(r.key, o.maxParallelism) % partitions, key: String(r.key), value: encodeRecord(r.seq, r.offsetMs, r.value) });
      if (batch.length >= SEND_BATCH) {
        await ship(batch);
        batch = [];
      }
    }
    await ship(batch);
    await settle();
    await send(producer, o, perPartition.map((n, p) => ({ partition: p, value: encodeEnd(n) })));
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return { records: total, partitions, startEpochMs, seconds: (performance.now() - t0) / 1000 };
}

async function send(producer: Producer, o: GenerateOptions, messages: Message[]): Promise<void> {
  try {
    await withTimeout(producer.send({ topic: o.topic, acks: 1, messages }), o.timeoutMs, `the Kafka broker at ${o.brokers.join(',')} did not acknowledge a write to '${o.topic}' within ${o.timeoutMs} ms`);
  } catch (err) {
    if (err instanceof KafkaIoError) throw err;
    throw new KafkaIoError(`writing to topic '${o.topic}' on ${o.brokers.join(',')} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Creates the topic if missing; refuses one with another partition count or with records in it. */
async function prepareTopic(admin: Admin, o: GenerateOptions): Promise<number> {
  const topics = await withTimeout(admin.listTopics(), o.timeoutMs, `the Kafka broker did not list its topics within ${o.timeoutMs} ms`);
  if (!topics.includes(o.topic)) {
    const n = o.partitions ?? 1;
    await withTimeout(admin.createTopics({ topics: [{ topic: o.topic, numPartitions: n, replicationFactor: 1 }], waitForLeaders: true }), o.timeoutMs, `topic '${o.topic}' was not created within ${o.timeoutMs} ms`);
    return n;
  }
  const offsets = await withTimeout(admin.fetchTopicOffsets(o.topic), o.timeoutMs, `no offsets for topic '${o.topic}' within ${o.timeoutMs} ms`);
  if (o.partitions !== undefined && offsets.length !== o.partitions) {
    throw new KafkaIoError(`topic '${o.topic}' exists with ${offsets.length} partition(s), not --partitions ${o.partitions}; use another topic or leave --partitions out`);
  }
  const held = offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  if (held > 0) throw new KafkaIoError(`topic '${o.topic}' already holds ${held} message(s); write to a new topic (a job reads a topic from its first message)`);
  return offsets.length;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
