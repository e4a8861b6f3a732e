/**
 * One line of the Shanghai Stock Exchange order file the reference replays (reference 4.3): `|`-separated
 * fields, of which it reads 0 order number, 1 transaction maintenance code, 5 last-update date (yyyyMMdd),
 * 6 last-update time (HH:mm:ss), 8 order price, 9 executed volume, 10 order volume, 11 security code,
 * 13 account id and 22 trade direction (B/S). A line `end` closes each 50 ms slot. Lines with fewer than 12
 * fields, or with code `X` or an empty code, are skipped as the reference skips them. Parsing and formatting
 * only; no I/O.
 */

/** Field positions (0-based) in a line. */
export const FIELD = {
  orderNo: 0,
  code: 1,
  date: 5,
  time: 6,
  price: 8,
  executedVolume: 9,
  volume: 10,
  security: 11,
  account: 13,
  direction: 22,
} as const;

/** Fields a line has at least to carry every field read (direction is field 22). */
export const MIN_FIELDS = FIELD.direction + 1;
/** Fields a line has at least not to be skipped (the reference's filter). */
export const SKIP_BELOW_FIELDS = 12;
/** The line that closes a slot. */
export const END_OF_SLOT = 'end';
/** Length of a slot, ms. */
export const SLOT_MS = 50;

export type Direction = 'B' | 'S';

/** An order record: what the workload's operators see. */
export interface OrderRecord {
  readonly orderNo: number;
  /** Transaction maintenance code: `A` adds an order, `D` deletes (cancels) one; other codes add. */
  readonly code: string;
  /** Last-update date and time, ms since the epoch (read as UTC). */
  readonly timestamp: number;
  readonly price: number;
  readonly executedVolume: number;
  readonly volume: number;
  readonly security: string;
  readonly account: string;
  readonly direction: Direction;
}

/** What one line is: a record, the end of a slot, a line skipped as the reference does, or a malformed one. */
export type ParsedLine =
  | { kind: 'record'; record: OrderRecord }
  | { kind: 'end' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'malformed'; reason: string };

/**
 * Parses one line (without its line break). `intern` returns one shared string per distinct security and
 * account, so that millions of records do not hold millions of copies.
 */
export function parseLine(line: string, intern: (s: string) => string = (s) => s): ParsedLine {
  if (line === END_OF_SLOT) return { kind: 'end' };
  const f = line.split('|');
  if (f.length < SKIP_BELOW_FIELDS) return { kind: 'skipped', reason: `${f.length} fields` };
  const code = f[FIELD.code];
  if (code === 'X' || code === '') return { kind: 'skipped', reason: `code ${JSON.stringify(code)}` };
  if (f.length < MIN_FIELDS) return malformed(`${f.length} fields; a record has at least ${MIN_FIELDS} (account at ${FIELD.account}, direction at ${FIELD.direction})`);
  const orderNo = Number(f[FIELD.orderNo]);
  if (!/^\d+$/.test(f[FIELD.orderNo]) || !Number.isSafeInteger(orderNo)) return malformed(`order number ${JSON.stringify(f[FIELD.orderNo])} is not a whole number`);
  const timestamp = parseTimestamp(f[FIELD.date], f[FIELD.time]);
  if (timestamp === undefined) return malformed(`date and time ${JSON.stringify(`${f[FIELD.date]} ${f[FIELD.time]}`)} are not yyyyMMdd HH:mm:ss`);
  const price = decimal(f[FIELD.price]);
  if (price === undefined) return malformed(`price ${JSON.stringify(f[FIELD.price])} is not a number >= 0`);
  const executedVolume = decimal(f[FIELD.executedVolume]);
  if (executedVolume === undefined) return malformed(`executed volume ${JSON.stringify(f[FIELD.executedVolume])} is not a number >= 0`);
  const volume = decimal(f[FIELD.volume]);
  if (volume === undefined) return malformed(`order volume ${JSON.stringify(f[FIELD.volume])} is not a number >= 0`);
  const security = f[FIELD.security].trim();
  if (security === '') return malformed('empty security code');
  const account = f[FIELD.account].trim();
  if (account === '') return malformed('empty account id');
  const direction = f[FIELD.direction].trim();
  if (direction !== 'B' && direction !== 'S') return malformed(`direction ${JSON.stringify(direction)} is neither B nor S`);
  return {
    kind: 'record',
    record: { orderNo, code, timestamp, price, executedVolume, volume, security: intern(security), account: intern(account), direction },
  };
}

/**
 * Formats a record as a line of the format, `MIN_FIELDS` fields wide; fields the reference does not read
 * are left empty.
 */
export function formatLine(r: OrderRecord): string {
  const f: string[] = new Array<string>(MIN_FIELDS).fill('');
  const d = new Date(r.timestamp);
  f[FIELD.orderNo] = String(r.orderNo);
  f[FIELD.code] = r.code;
  f[FIELD.date] = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  f[FIELD.time] = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  f[FIELD.price] = r.price.toFixed(2);
  f[FIELD.executedVolume] = String(r.executedVolume);
  f[FIELD.volume] = String(r.volume);
  f[FIELD.security] = r.security;
  f[FIELD.account] = r.account;
  f[FIELD.direction] = r.direction;
  return f.join('|');
}

function malformed(reason: string): ParsedLine {
  return { kind: 'malformed', reason };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function decimal(s: string): number | undefined {
  const t = s.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function parseTimestamp(date: string, time: string): number | undefined {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(date.trim());
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time.trim());
  if (d === null || t === null) return undefined;
  const [y, mo, da, h, mi, s] = [d[1], d[2], d[3], t[1], t[2], t[3]].map(Number);
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, da, h, mi, s);
  // Rejects dates such as 20240231 that Date.UTC would roll over into the next month.
  return new Date(ms).getUTCDate() === da ? ms : undefined;
}
