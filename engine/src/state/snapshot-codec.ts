/**
 * The binary snapshot of one key group. Grammar (little-endian):
 *   Snapshot := magic:u32 tables:u32 Table*
 *   Table    := nameLen:u32 name:utf8 entries:u32 (Key Value)*
 *   Key      := 0:u8 len:u32 ascii | 2:u8 len:u32 utf16le (other strings: lone surrogates survive)
 *             | 1:u8 f64 | 3:u8 len:u32 state (other keys of a map, in state-codec.ts's canonical form)
 *   Value    := 0:u8 len:u32 bytes          a Buffer/Uint8Array (restored as a Buffer)
 *             | 1:u8 len:u32 state         anything else, in state-codec.ts's canonical form
 *             | 2:u8 n:u32 (Key Value)*     a Map (map state)
 *             | 3:u8 n:u32 Value*           an array (list state)
 * Byte values are copied with one memcpy each, which makes snapshots of byte-heavy state run at memory
 * speed; restore can hand out views into the snapshot (zero copy) when the caller owns it. Imports core/.
 */
import type { Key } from '../core/key-group.ts';
import { ProtocolError } from '../errors.ts';
import { decodeState, encodeState } from './state-codec.ts';

/** A key group's state: per state name, `key -> entry`. */
export type KeyGroupTables = Map<string, Map<Key, unknown>>;

const MAGIC = 0x53504b31; // "SPK1"

/** Serializes a key group's tables into one buffer: sized first, then written. */
export function encodeKeyGroup(tables: KeyGroupTables): Uint8Array {
  const sizer = new Sizer();
  sizer.n += 8;
  for (const [name, table] of tables) {
    sizer.n += 8 + Buffer.byteLength(name);
    for (const [k, v] of table) {
      sizer.key(k);
      sizer.value(v);
    }
  }
  const out = new Writer(Buffer.allocUnsafeSlow(sizer.n), sizer.v8Cache);
  out.u32(MAGIC);
  out.u32(tables.size);
  for (const [name, table] of tables) {
    out.str(name);
    out.u32(table.size);
    for (const [k, v] of table) {
      out.key(k);
      out.value(v);
    }
  }
  if (out.pos !== out.buf.byteLength) throw new ProtocolError(`snapshot size mismatch: wrote ${out.pos} of ${out.buf.byteLength} bytes`);
  return out.buf;
}

/**
 * Restores tables from a snapshot. With `copy: false` byte values are views into `bytes` (the caller hands
 * the snapshot over); with `copy: true` they get their own memory (the snapshot stays shared, e.g. a replica);
 * with an allocator they are copied into the memory it supplies (recycled memory, see byte-pool.ts).
 */
export function decodeKeyGroup(bytes: Uint8Array, copy: boolean | ((size: number) => Buffer)): KeyGroupTables {
  const r = new Reader(bytes, copy);
  if (r.u32() !== MAGIC) throw new ProtocolError('not a key-group snapshot (bad magic number)');
  const tables: KeyGroupTables = new Map();
  for (let t = r.u32(); t > 0; t--) {
    const name = r.str();
    const table = new Map<Key, unknown>();
    for (let n = r.u32(); n > 0; n--) table.set(r.key(), r.value());
    tables.set(name, table);
  }
  if (r.pos !== bytes.byteLength) throw new ProtocolError(`snapshot has ${bytes.byteLength - r.pos} trailing bytes`);
  return tables;
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

class Sizer {
  n = 0;
  /** Canonical encodings computed while sizing, reused while writing (same iteration order). */
  readonly v8Cache: Uint8Array[] = [];
  key(k: Key): void {
    if (typeof k === 'string') this.n += 5 + (isAscii(k) ? k.length : 2 * k.length);
    else if (typeof k === 'number') this.n += 9;
    else this.generic(k);
  }
  private generic(v: unknown): void {
    const enc = encodeState(v);
    this.v8Cache.push(enc);
    this.n += 5 + enc.byteLength;
  }
  value(v: unknown): void {
    if (isBytes(v)) this.n += 5 + v.byteLength;
    else if (v instanceof Map) {
      this.n += 5;
      for (const [k, x] of v) {
        this.key(k as Key);
        this.value(x);
      }
    } else if (Array.isArray(v)) {
      this.n += 5;
      for (const x of v) this.value(x);
    } else {
      this.generic(v);
    }
  }
}

class Writer {
  pos = 0;
  private v8Next = 0;
  constructor(
    readonly buf: Buffer,
    private readonly v8Cache: Uint8Array[],
  ) {}
  u32(x: number): void {
    this.buf.writeUInt32LE(x, this.pos);
    this.pos += 4;
  }
  str(s: string): void {
    const len = this.buf.write(s, this.pos + 4, 'utf8');
    this.u32(len);
    this.pos += len;
  }
  key(k: Key): void {
    if (typeof k === 'string') {
      const ascii = isAscii(k);
      this.buf[this.pos++] = ascii ? 0 : 2;
      const len = this.buf.write(k, this.pos + 4, ascii ? 'latin1' : 'utf16le');
      this.u32(len);
      this.pos += len;
    } else if (typeof k === 'number') {
      this.buf[this.pos++] = 1;
      this.buf.writeDoubleLE(k, this.pos);
      this.pos += 8;
    } else {
      this.generic(3);
    }
  }
  /** Writes the next value that the sizer encoded with state-codec.ts, under `tag`. */
  private generic(tag: number): void {
    const enc = this.v8Cache[this.v8Next++];
    this.buf[this.pos++] = tag;
    this.u32(enc.byteLength);
    this.buf.set(enc, this.pos);
    this.pos += enc.byteLength;
  }
  value(v: unknown): void {
    if (isBytes(v)) {
      this.buf[this.pos++] = 0;
      this.u32(v.byteLength);
      this.buf.set(v, this.pos);
      this.pos += v.byteLength;
    } else if (v instanceof Map) {
      this.buf[this.pos++] = 2;
      this.u32(v.size);
      for (const [k, x] of v) {
        this.key(k as Key);
        this.value(x);
      }
    } else if (Array.isArray(v)) {
      this.buf[this.pos++] = 3;
      this.u32(v.length);
      for (const x of v) this.value(x);
    } else {
      this.generic(1);
    }
  }
}

class Reader {
  pos = 0;
  private readonly buf: Buffer;
  constructor(
    bytes: Uint8Array,
    private readonly copy: boolean | ((size: number) => Buffer),
  ) {
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u32(): number {
    const x = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return x;
  }
  str(): string {
    const len = this.u32();
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  key(): Key {
    const tag = this.buf[this.pos++];
    if (tag === 0) return this.str();
    if (tag === 2) {
      const len = this.u32();
      const s = this.buf.toString('utf16le', this.pos, this.pos + len);
      this.pos += len;
      return s;
    }
    if (tag === 3) {
      const len = this.u32();
      const k = decodeState(this.buf.subarray(this.pos, this.pos + len));
      this.pos += len;
      return k as Key;
    }
    if (tag !== 1) throw new ProtocolError(`snapshot: bad key tag ${tag} at byte ${this.pos - 1}`);
    const x = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return x;
  }
  value(): unknown {
    const tag = this.buf[this.pos++];
    switch (tag) {
      case 0: {
        const len = this.u32();
        const view = this.buf.subarray(this.pos, this.pos + len);
        this.pos += len;
        if (this.copy === false) return view;
        if (this.copy === true) return Buffer.from(view);
        const own = this.copy(len);
        own.set(view);
        return own;
      }
      case 1: {
        const len = this.u32();
        const v = decodeState(this.buf.subarray(this.pos, this.pos + len));
        this.pos += len;
        return v;
      }
      case 2: {
        const m = new Map<Key, unknown>();
        for (let n = this.u32(); n > 0; n--) m.set(this.key(), this.value());
        return m;
      }
      case 3: {
        const a: unknown[] = [];
        for (let n = this.u32(); n > 0; n--) a.push(this.value());
        return a;
      }
      default:
        throw new ProtocolError(`snapshot: bad value tag ${tag} at byte ${this.pos - 1}`);
    }
  }
}

/** Whether `s` is all ASCII (then its UTF-8, Latin-1 and code units agree byte for byte). */
function isAscii(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') === s.length;
}
