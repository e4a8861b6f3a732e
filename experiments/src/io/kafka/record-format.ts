/**
 * What `spacker generate` writes to a topic and the Kafka source reads. Grammar of a message value (UTF-8 JSON):
 *   begin  {"begin": <generation start, epoch ms>, "records": <records this partition will hold>}  (first)
 *   record {"s": <source sequence>, "t": <scheduled ms after the start>, "v": <value>}, message key = record key
 *   end    {"end": <records written to this partition>}                                            (last)
 * The scheduled time of a record is `begin + t` on the wall clock: latency is measured from it. Pure.
 */

export type FeedMessage =
  | { readonly kind: 'begin'; readonly startEpochMs: number; readonly records: number }
  | { readonly kind: 'record'; readonly seq: number; readonly offsetMs: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'end'; readonly records: number };

export function encodeBegin(startEpochMs: number, records: number): Buffer {
  return Buffer.from(JSON.stringify({ begin: startEpochMs, records }));
}

export function encodeRecord(seq: number, offsetMs: number, value: unknown): Buffer {
  return Buffer.from(`{"s":${seq},"t":${Math.round(offsetMs * 1000) / 1000},"v":${JSON.stringify(value)}}`);
}

export function encodeEnd(records: number): Buffer {
  return Buffer.from(JSON.stringify({ end: records }));
}

/** Decodes one message; a string result is the reason it is malformed. */
export function decodeMessage(key: Buffer | null, value: Buffer | null): FeedMessage | string {
  if (value === null) return 'no value';
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    return `not JSON: ${JSON.stringify(value.subarray(0, 40).toString('utf8'))}`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'not a JSON object';
  const o = json as Record<string, unknown>;
  if ('s' in o) {
    if (!isCount(o.s)) return `"s" (sequence) is not a whole number >= 0: ${JSON.stringify(o.s)}`;
    if (typeof o.t !== 'number' || !Number.isFinite(o.t) || o.t < 0) return `"t" (scheduled ms) is not a number >= 0: ${JSON.stringify(o.t)}`;
    if (!('v' in o)) return 'record without "v" (value)';
    if (key === null || key.length === 0) return 'record without a message key';
    return { kind: 'record', seq: o.s, offsetMs: o.t, key: key.toString('utf8'), value: o.v };
  }
  if ('begin' in o) {
    if (typeof o.begin !== 'number' || !Number.isFinite(o.begin) || !isCount(o.records)) return 'begin marker without a start time and a record count';
    return { kind: 'begin', startEpochMs: o.begin, records: o.records };
  }
  if ('end' in o) {
    if (!isCount(o.end)) return 'end marker without a record count';
    return { kind: 'end', records: o.end };
  }
  return 'neither a record ("s", "t", "v") nor a begin or end marker';
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}
