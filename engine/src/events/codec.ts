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
/** `fooBar` -> `foo_bar`: a record's field name as its key in the detail. */
type Snake<S extends string> = S extends `${infer C}${infer R}` ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${Snake<R>}` : S;
type FieldName<T> = Exclude<keyof T, 'event'> & string;
const OPTIONAL = 'optional';
/** One field of a detail: its key (the record's field in snake_case), how it is written, whether it may be absent. */
type FieldOf<T> = { [K in FieldName<T>]: readonly [key: Snake<K>, kind: Kind, optional?: typeof OPTIONAL] }[FieldName<T>];
type AnyField = readonly [key: string, kind: Kind, optional?: typeof OPTIONAL];

/** The events written as plain `k=v` parts; warm_up, coordination_lost and coordination_error have their own forms. */
type PlainName = Exclude<KnownEventName, 'warm_up' | 'coordination_lost' | 'coordination_error'>;

/** Field order = the order in the detail. */
const FIELDS: { readonly [N in PlainName]: readonly FieldOf<Named<N>>[] } = {
  job_start: [['tasks', 'num']],
  job_end: [['records', 'num']],
  checkpoint: [['id', 'num'], ['duration_ms', 'fixed3']],
  phase_start: [['round', 'num'], ['phase', 'num'], ['mode', 'str'], ['order', 'str'], ['sync_keys', 'num'], ['replicate_filter', 'num']],
  migration_start: [['operator', 'str'], ['mechanism', 'str'], ['chunks', 'num'], ['key_groups', 'num'], ['bins', 'num', OPTIONAL], ['fetch_batch', 'num', OPTIONAL], ['buffer_records', 'num', OPTIONAL], ['max_concurrent_subscales', 'num', OPTIONAL], ['order', 'str', OPTIONAL], ['sync_keys', 'num', OPTIONAL], ['replicate_filter', 'num', OPTIONAL]],
  migration_end: [['chunks', 'num'], ['key_groups', 'num'], ['bytes', 'num'], ['completion_ms', 'fixed3'], ['on_demand', 'num', OPTIONAL], ['borrowed', 'num', OPTIONAL]],
  chunk_start: [['reconfig_id', 'num'], ['chunk', 'num'], ['moves', 'num'], ['from', 'num', OPTIONAL], ['to', 'num', OPTIONAL]],
  chunk_end: [['reconfig_id', 'num'], ['chunk', 'num'], ['from', 'num', OPTIONAL], ['to', 'num', OPTIONAL], ['bytes', 'num', OPTIONAL], ['replica_restores', 'num', OPTIONAL]],
  restart_start: [['operator', 'str'], ['key_groups', 'num']],
  restart_end: [['downtime_ms', 'fixed3'], ['bytes', 'num']],
  coordination: [['zookeeper', 'str'], ['root', 'str'], ['job', 'str']],
  coordination_restored: [['zookeeper', 'str'], ['after_ms', 'num']],
  reconfig_rejected: [['request', 'str'], ['reason', 'text']],
  reconfig_accepted: [['request', 'str'], ['mechanism', 'str'], ['order', 'str'], ['sync_keys', 'num']],
  kafka_generated: [['topic', 'str'], ['records', 'num'], ['partitions', 'num'], ['seconds', 'fixed2']],
  kafka_feed_open: [['topic', 'str'], ['partitions', 'num']],
  kafka_count_mismatch: [['partition', 'num'], ['end_marker', 'num'], ['received', 'num']],
  kafka_malformed: [['partition', 'num'], ['offset', 'str'], ['reason', 'text']],
  flink_job: [['job_id', 'str'], ['parallelism', 'num'], ['savepoint', 'str', OPTIONAL]],
  flink_rescale_start: [['strategy', 'str'], ['from', 'num'], ['to', 'num']],
  flink_rescale_end: [['strategy', 'str'], ['from', 'num'], ['to', 'num'], ['job_id', 'str'], ['wall_ms', 'fixed3'], ['downtime_ms', 'fixed3']],
};

const WARM_UP_DONE: readonly FieldOf<{ done: boolean; migrations: number; ms: number }>[] = [['done', 'bool'], ['migrations', 'num'], ['ms', 'fixed1']];
const WARM_UP_SKIPPED: readonly FieldOf<{ skipped: string }>[] = [['skipped', 'str']];
const COORDINATION_LOST: readonly FieldOf<Named<'coordination_lost'>>[] = [['zookeeper', 'str'], ['reason', 'str']];

/** `foo_bar` -> `fooBar`: a detail key as the record's field name. */
function fieldName(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
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
    .filter(([key]) => values[fieldName(key)] !== undefined)
    .map(([key, kind]) => `${key}=${writeValue(kind, values[fieldName(key)])}`)
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

function readValue(event: string, [key, kind]: AnyField, raw: string): unknown {
  if (kind === 'str' || kind === 'text') return raw;
  if (kind === 'bool') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new MalformedEventError(event, key, raw, 'true or false');
  }
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw new MalformedEventError(event, key, raw, 'a number');
  return n;
}

function readFields(event: string, detail: string, fields: readonly AnyField[]): Record<string, unknown> {
  const kv = parts(detail);
  const out: Record<string, unknown> = { event };
  for (const f of fields) {
    const [key, kind, optional] = f;
    const raw = kv.get(key);
    if (raw === undefined) {
      if (optional === OPTIONAL) continue;
      throw new MalformedEventError(event, key, undefined, kind === 'str' || kind === 'text' ? 'present' : kind === 'bool' ? 'true or false' : 'a number');
    }
    out[fieldName(key)] = readValue(event, f, raw);
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
