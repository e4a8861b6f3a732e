/**
 * The one writer and the one reader of event records: formatEvent gives events.csv's `event` and `detail`
 * columns (`k=v;k=v`, byte for byte as runs have always written them), parseEvent reads them back.
 */
import { EngineError } from '../errors.ts';
import { COORDINATION_LOST_NOTE, type EventRecord, type KnownEvent, type KnownEventName, type OtherEvent } from './records.ts';

/** A detail of a known event that does not read: names the event, the field and the value found. */
export class MalformedEventError extends EngineError {
  constructor(
    readonly event: string,
    readonly field: string,
    readonly value: string | undefined,
    expected: string,
  ) {
    super('MALFORMED_EVENT', `event '${event}': field '${field}' must be ${expected}, found ${value === undefined ? 'nothing (missing)' : JSON.stringify(value)}`);
    this.name = 'MalformedEventError';
  }
}

/**
 * How a field is written: `num` as JavaScript prints it, `fixedN` with N decimals, `str` as is, `text` with
 * `;` and newlines made spaces (free text such as a reason), `bool` as true/false.
 */
type Kind = 'num' | 'fixed1' | 'fixed2' | 'fixed3' | 'str' | 'text' | 'bool';

type Named<N extends KnownEventName> = Extract<KnownEvent, { event: N }>;
type FieldOf<T> = { [K in Exclude<keyof T, 'event'>]: { readonly name: K; readonly key: string; readonly kind: Kind; readonly optional?: true } }[Exclude<keyof T, 'event'>];

/** The events written as plain `k=v` parts; warm_up, coordination_lost and coordination_error have their own forms. */
type PlainName = Exclude<KnownEventName, 'warm_up' | 'coordination_lost' | 'coordination_error'>;

/** Field order = the order in the detail. */
const FIELDS: { readonly [N in PlainName]: readonly FieldOf<Named<N>>[] } = {
  job_start: [{ name: 'tasks', key: 'tasks', kind: 'num' }],
  job_end: [{ name: 'records', key: 'records', kind: 'num' }],
  checkpoint: [
    { name: 'id', key: 'id', kind: 'num' },
    { name: 'durationMs', key: 'duration_ms', kind: 'fixed3' },
  ],
  phase_start: [
    { name: 'round', key: 'round', kind: 'num' },
    { name: 'phase', key: 'phase', kind: 'num' },
    { name: 'mode', key: 'mode', kind: 'str' },
    { name: 'order', key: 'order', kind: 'str' },
    { name: 'syncKeys', key: 'sync_keys', kind: 'num' },
    { name: 'replicateFilter', key: 'replicate_filter', kind: 'num' },
  ],
  migration_start: [
    { name: 'operator', key: 'operator', kind: 'str' },
    { name: 'mechanism', key: 'mechanism', kind: 'str' },
    { name: 'chunks', key: 'chunks', kind: 'num' },
    { name: 'keyGroups', key: 'key_groups', kind: 'num' },
    { name: 'bins', key: 'bins', kind: 'num', optional: true },
    { name: 'fetchBatch', key: 'fetch_batch', kind: 'num', optional: true },
    { name: 'bufferRecords', key: 'buffer_records', kind: 'num', optional: true },
    { name: 'maxConcurrentSubscales', key: 'max_concurrent_subscales', kind: 'num', optional: true },
    { name: 'order', key: 'order', kind: 'str', optional: true },
    { name: 'syncKeys', key: 'sync_keys', kind: 'num', optional: true },
    { name: 'replicateFilter', key: 'replicate_filter', kind: 'num', optional: true },
  ],
  migration_end: [
    { name: 'chunks', key: 'chunks', kind: 'num' },
    { name: 'keyGroups', key: 'key_groups', kind: 'num' },
    { name: 'bytes', key: 'bytes', kind: 'num' },
    { name: 'completionMs', key: 'completion_ms', kind: 'fixed3' },
    { name: 'onDemand', key: 'on_demand', kind: 'num', optional: true },
    { name: 'borrowed', key: 'borrowed', kind: 'num', optional: true },
  ],
  chunk_start: [
    { name: 'reconfigId', key: 'reconfig_id', kind: 'num' },
    { name: 'chunk', key: 'chunk', kind: 'num' },
    { name: 'moves', key: 'moves', kind: 'num' },
    { name: 'from', key: 'from', kind: 'num', optional: true },
    { name: 'to', key: 'to', kind: 'num', optional: true },
  ],
  chunk_end: [
    { name: 'reconfigId', key: 'reconfig_id', kind: 'num' },
    { name: 'chunk', key: 'chunk', kind: 'num' },
    { name: 'from', key: 'from', kind: 'num', optional: true },
    { name: 'to', key: 'to', kind: 'num', optional: true },
    { name: 'bytes', key: 'bytes', kind: 'num', optional: true },
    { name: 'replicaRestores', key: 'replica_restores', kind: 'num', optional: true },
  ],
  restart_start: [
    { name: 'operator', key: 'operator', kind: 'str' },
    { name: 'keyGroups', key: 'key_groups', kind: 'num' },
  ],
  restart_end: [
    { name: 'downtimeMs', key: 'downtime_ms', kind: 'fixed3' },
    { name: 'bytes', key: 'bytes', kind: 'num' },
  ],
  coordination: [
    { name: 'zookeeper', key: 'zookeeper', kind: 'str' },
    { name: 'root', key: 'root', kind: 'str' },
    { name: 'job', key: 'job', kind: 'str' },
  ],
  coordination_restored: [
    { name: 'zookeeper', key: 'zookeeper', kind: 'str' },
    { name: 'afterMs', key: 'after_ms', kind: 'num' },
  ],
  reconfig_rejected: [
    { name: 'request', key: 'request', kind: 'str' },
    { name: 'reason', key: 'reason', kind: 'text' },
  ],
  reconfig_accepted: [
    { name: 'request', key: 'request', kind: 'str' },
    { name: 'mechanism', key: 'mechanism', kind: 'str' },
    { name: 'order', key: 'order', kind: 'str' },
    { name: 'syncKeys', key: 'sync_keys', kind: 'num' },
  ],
  kafka_generated: [
    { name: 'topic', key: 'topic', kind: 'str' },
    { name: 'records', key: 'records', kind: 'num' },
    { name: 'partitions', key: 'partitions', kind: 'num' },
    { name: 'seconds', key: 'seconds', kind: 'fixed2' },
  ],
  kafka_feed_open: [
    { name: 'topic', key: 'topic', kind: 'str' },
    { name: 'partitions', key: 'partitions', kind: 'num' },
  ],
  kafka_count_mismatch: [
    { name: 'partition', key: 'partition', kind: 'num' },
    { name: 'endMarker', key: 'end_marker', kind: 'num' },
    { name: 'received', key: 'received', kind: 'num' },
  ],
  kafka_malformed: [
    { name: 'partition', key: 'partition', kind: 'num' },
    { name: 'offset', key: 'offset', kind: 'str' },
    { name: 'reason', key: 'reason', kind: 'text' },
  ],
};

const WARM_UP_DONE: readonly FieldOf<{ done: boolean; migrations: number; ms: number }>[] = [
  { name: 'done', key: 'done', kind: 'bool' },
  { name: 'migrations', key: 'migrations', kind: 'num' },
  { name: 'ms', key: 'ms', kind: 'fixed1' },
];
const WARM_UP_SKIPPED: readonly FieldOf<{ skipped: string }>[] = [{ name: 'skipped', key: 'skipped', kind: 'str' }];
const COORDINATION_LOST: readonly FieldOf<Named<'coordination_lost'>>[] = [
  { name: 'zookeeper', key: 'zookeeper', kind: 'str' },
  { name: 'reason', key: 'reason', kind: 'str' },
];

interface AnyField {
  readonly name: string;
  readonly key: string;
  readonly kind: Kind;
  readonly optional?: true;
}

function isPlain(name: string): name is PlainName {
  return Object.hasOwn(FIELDS, name);
}

function writeValue(kind: Kind, v: unknown): string {
  switch (kind) {
    case 'fixed1':
      return (v as number).toFixed(1);
    case 'fixed2':
      return (v as number).toFixed(2);
    case 'fixed3':
      return (v as number).toFixed(3);
    case 'text':
      return String(v).replace(/[;\n]/g, ' ');
    default:
      return String(v);
  }
}

function writeFields(e: object, fields: readonly AnyField[]): string {
  const values = e as Record<string, unknown>;
  return fields
    .filter((f) => values[f.name] !== undefined)
    .map((f) => `${f.key}=${writeValue(f.kind, values[f.name])}`)
    .join(';');
}

/** events.csv's `event` and `detail` columns of a record. */
export function formatEvent(e: EventRecord): { event: string; detail: string } {
  if ('known' in e) return { event: e.event, detail: Object.entries(e.fields).map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(';') };
  switch (e.event) {
    case 'warm_up':
      return { event: e.event, detail: 'skipped' in e ? writeFields(e, WARM_UP_SKIPPED) : writeFields(e, WARM_UP_DONE) };
    case 'coordination_lost':
      return { event: e.event, detail: `${writeFields(e, COORDINATION_LOST)};${COORDINATION_LOST_NOTE}` };
    case 'coordination_error':
      return { event: e.event, detail: e.request === undefined ? e.message : `request=${e.request};${e.message}` };
    default:
      return { event: e.event, detail: writeFields(e, FIELDS[e.event] as readonly AnyField[]) };
  }
}

/** The `k=v` parts of a detail (a part without `=` is a key with the value ''). */
function parts(detail: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of detail.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.set(part, '');
    else out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

function readValue(event: string, f: AnyField, raw: string): unknown {
  if (f.kind === 'str' || f.kind === 'text') return raw;
  if (f.kind === 'bool') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new MalformedEventError(event, f.key, raw, 'true or false');
  }
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw new MalformedEventError(event, f.key, raw, 'a number');
  return n;
}

function readFields(event: string, detail: string, fields: readonly AnyField[]): Record<string, unknown> {
  const kv = parts(detail);
  const out: Record<string, unknown> = { event };
  for (const f of fields) {
    const raw = kv.get(f.key);
    if (raw === undefined) {
      if (f.optional) continue;
      throw new MalformedEventError(event, f.key, undefined, f.kind === 'str' || f.kind === 'text' ? 'present' : 'a number');
    }
    out[f.name] = readValue(event, f, raw);
  }
  return out;
}

/**
 * The record of an events.csv row. An unknown event name gives an {@link OtherEvent} (never a throw); a
 * known event whose field is missing or does not read throws a {@link MalformedEventError}.
 */
export function parseEvent(event: string, detail: string): EventRecord {
  // The reason a warm-up was skipped is an error message: it may hold `;` and `=`.
  if (event === 'warm_up' && detail.startsWith('skipped=')) return { event, skipped: detail.slice('skipped='.length) };
  if (event === 'warm_up') return readFields(event, detail, WARM_UP_DONE) as unknown as KnownEvent;
  if (event === 'coordination_lost') return readFields(event, detail, COORDINATION_LOST) as unknown as KnownEvent;
  if (event === 'coordination_error') {
    const m = /^request=([^;]*);(.*)$/s.exec(detail);
    return m === null ? { event, message: detail } : { event, request: m[1], message: m[2] };
  }
  if (isPlain(event)) return readFields(event, detail, FIELDS[event] as readonly AnyField[]) as unknown as KnownEvent;
  const other: OtherEvent = { event, known: false, fields: Object.fromEntries(parts(detail)) };
  return other;
}
