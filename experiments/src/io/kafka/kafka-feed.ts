/**
 * The Kafka source of a job: one consumer per job reads every partition of the topic through an explicit
 * assignment (a one-member group under a fresh id, joined before the job's clock starts: no rebalancing while
 * the job runs), and source subtask `j` takes partitions `p % parallelism == j`. Records wait in bounded
 * per-partition queues (the fetch loop waits while a queue is full: back-pressure reaches the broker) until
 * the subtask polls them, with their scheduled time (live: the generator's wall-clock schedule; replay:
 * re-scheduled from the job's start). Malformed messages are counted, skipped and reported; a silent or broken
 * stream fails the job within `timeoutMs`.
 */
import { randomUUID } from 'node:crypto';
import { AssignerProtocol, type Consumer, type Kafka, type PartitionAssigner } from 'kafkajs';
import type { EventRecord, ExternalSource, Key } from '../../../../engine/src/index.ts';
import { connectAdmin, kafkaClient, KafkaIoError, topicPartitions, withTimeout } from './client.ts';
import { decodeMessage } from './record-format.ts';

export interface KafkaFeedOptions {
  brokers: string[];
  topic: string;
  /** Source subtasks. */
  parallelism: number;
  schedule: 'live' | 'replay';
  timeoutMs: number;
  /** Job events (malformed messages, end of the feed). */
  emit: (e: EventRecord) => void;
}

/** Records queued per partition before the fetch loop waits. */
const QUEUE_HIGH = 20_000;
/** Malformed messages reported one by one (the rest are only counted). */
const MALFORMED_REPORTED = 20;

interface Queued {
  offsetMs: number;
  seq: number;
  key: Key;
  value: unknown;
}

class PartitionQueue {
  startEpochMs: number | undefined;
  expected: number | undefined;
  ended = false;
  received = 0;
  items: Queued[] = [];
  head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  peek(): Queued | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }
  take(): Queued {
    const q = this.items[this.head++];
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return q;
  }
}

export class KafkaFeed {
  private readonly queues = new Map<number, PartitionQueue>();
  private failure: Error | undefined;
  private lastArrivalMs = performance.now();
  private jobStartMs = 0;
  malformed = 0;
  private closed = false;

  private constructor(
    private readonly o: KafkaFeedOptions,
    readonly partitions: readonly number[],
    private readonly consumer: Consumer,
  ) {
    for (const p of partitions) this.queues.set(p, new PartitionQueue());
  }

  /** Connects, checks the topic, joins and starts fetching; bounded by `timeoutMs`. */
  static async open(o: KafkaFeedOptions): Promise<KafkaFeed> {
    const kafka = kafkaClient(o.brokers, 'spacker-job', o.timeoutMs);
    const admin = await connectAdmin(kafka, o.brokers, o.timeoutMs);
    let partitions: number[];
    try {
      partitions = await topicPartitions(admin, o.topic, o.brokers, o.timeoutMs);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    const consumer = createConsumer(kafka, o.topic, partitions, o.timeoutMs);
    const feed = new KafkaFeed(o, partitions, consumer);
    await feed.start();
    return feed;
  }

  private async start(): Promise<void> {
    const c = this.consumer;
    const joined = new Promise<void>((res) => c.on(c.events.GROUP_JOIN, () => res()));
    c.on(c.events.CRASH, (e) => {
      this.failure ??= new KafkaIoError(`the Kafka consumer of '${this.o.topic}' on ${this.o.brokers.join(',')} failed: ${e.payload.error.message}`, { cause: e.payload.error });
    });
    const where = `${this.o.brokers.join(',')}`;
    try {
      await withTimeout(c.connect(), this.o.timeoutMs, `cannot reach the Kafka broker at ${where} within ${this.o.timeoutMs} ms`);
      await c.subscribe({ topic: this.o.topic, fromBeginning: true });
      await c.run({
        autoCommit: false,
        partitionsConsumedConcurrently: Math.max(1, this.partitions.length),
        eachBatch: async ({ batch, heartbeat }) => {
          const q = this.queues.get(batch.partition) as PartitionQueue;
          for (const m of batch.messages) this.accept(batch.partition, q, m.offset, m.key, m.value);
          this.lastArrivalMs = performance.now();
          // Back-pressure: wait while the job has not taken the queue down (heartbeats keep the member in).
          let beat = performance.now();
          while (q.size > QUEUE_HIGH && !this.closed) {
            await sleep(5);
            if (performance.now() - beat > 1000) {
              beat = performance.now();
              await heartbeat();
            }
            this.lastArrivalMs = performance.now();
          }
        },
      });
      await withTimeout(joined, this.o.timeoutMs, `the Kafka consumer of '${this.o.topic}' did not get its partitions within ${this.o.timeoutMs} ms`);
    } catch (err) {
      await this.close();
      throw err instanceof KafkaIoError ? err : new KafkaIoError(`cannot consume '${this.o.topic}' from ${where}: ${(err as Error).message}`, { cause: err });
    }
    this.lastArrivalMs = performance.now();
  }

  private accept(partition: number, q: PartitionQueue, offset: string, key: Buffer | null, value: Buffer | null): void {
    const m = decodeMessage(key, value);
    if (typeof m === 'string') return this.reject(partition, offset, m);
    if (m.kind === 'begin') {
      q.startEpochMs = m.startEpochMs;
      q.expected = m.records;
    } else if (m.kind === 'end') {
      q.ended = true;
      if (m.records !== q.received) this.o.emit({ event: 'kafka_count_mismatch', partition, endMarker: m.records, received: q.received });
    } else if (q.startEpochMs === undefined) {
      this.reject(partition, offset, 'record before the begin marker of its partition');
    } else if (q.ended) {
      this.reject(partition, offset, 'record after the end marker of its partition');
    } else {
      q.received++;
      q.items.push({ offsetMs: m.offsetMs, seq: m.seq, key: m.key, value: m.value });
    }
  }

  private reject(partition: number, offset: string, reason: string): void {
    this.malformed++;
    if (this.malformed <= MALFORMED_REPORTED) this.o.emit({ event: 'kafka_malformed', partition, offset, reason });
  }

  /** Records announced by the begin markers seen so far (every partition's once the feed started). */
  get expectedRecords(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.expected ?? 0;
    return n;
  }

  /** What the run's summary reports about the feed. */
  report(): Record<string, unknown> {
    let received = 0;
    for (const q of this.queues.values()) received += q.received;
    return { kind: 'kafka', topic: this.o.topic, partitions: this.partitions.length, schedule: this.o.schedule, received, expected: this.expectedRecords, malformed: this.malformed };
  }

  /** The source of subtask `subtask`: its partitions, merged by scheduled time. */
  sourceFor(subtask: number): ExternalSource<unknown> {
    const mine = this.partitions.filter((p) => p % this.o.parallelism === subtask).map((p) => this.queues.get(p) as PartitionQueue);
    const clockOffset = performance.timeOrigin;
    const scheduledOf = (q: PartitionQueue, r: Queued): number => (this.o.schedule === 'live' ? (q.startEpochMs as number) - clockOffset + r.offsetMs : this.jobStartMs + r.offsetMs);
    const earliest = (): PartitionQueue | undefined => {
      let best: PartitionQueue | undefined;
      let bestMs = Infinity;
      for (const q of mine) {
        const r = q.peek();
        if (r === undefined) continue;
        const t = scheduledOf(q, r);
        if (t < bestMs) {
          bestMs = t;
          best = q;
        }
      }
      return best;
    };
    return {
      start: (jobStartMs) => {
        // Replay counts from when the job really starts polling (setup after the clock was set is no stall).
        this.jobStartMs = Math.max(jobStartMs, performance.now());
      },
      poll: (nowMs, max, emit) => {
        this.check(nowMs);
        let n = 0;
        while (n < max) {
          const q = earliest();
          if (q === undefined) break;
          const r = q.peek() as Queued;
          const t = scheduledOf(q, r);
          if (this.o.schedule === 'replay' && t > nowMs) break;
          q.take();
          emit(t, r.value, r.key, r.seq);
          n++;
        }
        return n;
      },
      nextDueMs: () => {
        const q = earliest();
        if (q === undefined) return Infinity;
        return this.o.schedule === 'live' ? -Infinity : scheduledOf(q, q.peek() as Queued);
      },
      get ended() {
        return mine.every((q) => q.ended && q.size === 0);
      },
    };
  }

  /** Throws the consumer's failure, or a timeout when nothing arrived for `timeoutMs` while partitions are open. */
  private check(nowMs: number): void {
    if (this.failure !== undefined) throw this.failure;
    if (nowMs - this.lastArrivalMs <= this.o.timeoutMs) return;
    const open = [...this.queues.entries()].filter(([, q]) => !q.ended).map(([p]) => p);
    if (open.length === 0) return;
    this.failure = new KafkaIoError(
      `no message from topic '${this.o.topic}' on ${this.o.brokers.join(',')} for ${this.o.timeoutMs} ms while partition(s) ${open.join(',')} have not ended (is the broker up and the generator running?)`,
    );
    throw this.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withTimeout(this.consumer.disconnect(), 5000, 'disconnect').catch(() => undefined);
  }
}

/** Assigns every partition of the topic to the group's one member (a fresh group per job: no rebalancing). */
function explicitAssigner(topic: string, partitions: readonly number[]): PartitionAssigner {
  return () => ({
    name: 'spacker-explicit',
    version: 1,
    async assign({ members }) {
      if (members.length !== 1) throw new KafkaIoError(`the job's consumer group has ${members.length} members; it must have exactly one`);
      return [{ memberId: members[0].memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: { [topic]: [...partitions] }, userData: Buffer.alloc(0) }) }];
    },
    protocol({ topics }) {
      return { name: 'spacker-explicit', metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }) };
    },
  });
}

function createConsumer(kafka: Kafka, topic: string, partitions: readonly number[], timeoutMs: number): Consumer {
  return kafka.consumer({
    groupId: `spacker-${topic}-${randomUUID()}`,
    partitionAssigners: [explicitAssigner(topic, partitions)],
    sessionTimeout: Math.max(6000, timeoutMs * 3),
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 20,
    minBytes: 1,
    // Small fetches: kafkajs decodes a whole response at once, and a 10 MB one would hold the event loop (and
    // every record's latency) for tens of milliseconds.
    maxBytesPerPartition: 256 * 1024,
    maxBytes: 1024 * 1024,
    allowAutoTopicCreation: false,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000, restartOnFailure: async () => false },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
