/**
 * The binary form of keyed state. Canonical: the bytes depend only on the values, never on how V8 holds
 * them, so decode(encode(x)) encodes to the same bytes again. (`node:v8`'s serializer is not: an integral
 * heap number comes back a small integer and a packed array comes back sparse, so a restored key group
 * re-serialized to different bytes.) Imports only errors.ts.
 *
 * Grammar (little-endian; n is a u32):
 *   state   := version=1 value
 *   value   := 0 undefined | 1 null | 2 false | 3 true
 *            | 4 i32 (an int32 other than -0) | 5 f64 (any other number; NaN as one bit pattern)
 *            | 6 n ascii-bytes | 7 n utf16le-code-units (other strings)
 *            | 8 n decimal-ascii (bigint)
 *            | 9 n bytes (Buffer) | 10 kind n bytes (other typed arrays; kind indexes TYPED_ARRAYS)
 *            | 11 n value*n (array; holes read back as undefined) | 12 n (value value)*n (Map)
 *            | 13 n value*n (Set) | 14 f64 (Date) | 15 n (string value)*n (any other object: own
 *              enumerable string keys, restored as a plain object)
 * State is a tree: a value reachable twice is written twice, a cycle is a TypeError.
 */
import { ProtocolError } from '../errors.ts';

const FORMAT_VERSION = 1;

const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

/**
 * Encodes `value` (and everything it holds) canonically. `sizeHint`, the expected size in bytes (e.g. the
 * accounted bytes of a key group), saves regrowing the output buffer.
 */
export function encodeState(value: unknown, sizeHint = 0): Buffer {
  const w = new Writer(Math.max(4096, Math.ceil(sizeHint * 1.125) + 1024));
  w.u8(FORMAT_VERSION);
  w.value(value, new Set());
  return w.result();
}

/** Decodes bytes written by `encodeState`; the result shares no memory with `bytes`. */
export function decodeState(bytes: Uint8Array): unknown {
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const version = r.u8();
  if (version !== FORMAT_VERSION) throw new ProtocolError(`state snapshot has format version ${version}; this engine reads version ${FORMAT_VERSION}`);
  const v = r.value();
  if (r.pos !== r.buf.length) throw new ProtocolError(`state snapshot has ${r.buf.length - r.pos} bytes after its value`);
  return v;
}

class Writer {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  result(): Buffer {
    // Hand back an exact-size copy when the slack is large, so that kept snapshots cost what they hold.
    const out = this.buf.subarray(0, this.pos);
    return this.pos * 4 < this.buf.length * 3 ? Buffer.from(out) : out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }

  u32(v: number): void {
    this.room(4);
    this.pos = this.buf.writeUInt32LE(v, this.pos);
  }

  f64(v: number): void {
    this.room(8);
    this.pos = this.buf.writeDoubleLE(Number.isNaN(v) ? NaN : v, this.pos);
  }

  bytes(src: Uint8Array): void {
    this.u32(src.byteLength);
    this.room(src.byteLength);
    this.buf.set(src, this.pos);
    this.pos += src.byteLength;
  }

  string(s: string): void {
    const ascii = Buffer.byteLength(s, 'utf8') === s.length;
    this.u8(ascii ? 6 : 7);
    this.u32(s.length);
    const n = ascii ? s.length : 2 * s.length;
    this.room(n);
    this.pos += this.buf.write(s, this.pos, n, ascii ? 'latin1' : 'utf16le');
  }

  value(v: unknown, path: Set<object>): void {
    switch (typeof v) {
      case 'undefined':
        return this.u8(0);
      case 'boolean':
        return this.u8(v ? 3 : 2);
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) {
          this.u8(4);
          this.room(4);
          this.pos = this.buf.writeInt32LE(v, this.pos);
        } else {
          this.u8(5);
          this.f64(v);
        }
        return;
      case 'string':
        return this.string(v);
      case 'bigint':
        this.u8(8);
        return this.bytes(Buffer.from(v.toString(), 'latin1'));
      case 'object':
        if (v === null) return this.u8(1);
        return this.object(v, path);
      default:
        throw new TypeError(`keyed state cannot hold a ${typeof v}`);
    }
  }

  private object(v: object, path: Set<object>): void {
    if (ArrayBuffer.isView(v)) {
      if (Buffer.isBuffer(v)) {
        this.u8(9);
        return this.bytes(v);
      }
      const kind = TYPED_ARRAYS.findIndex((C) => v.constructor === C);
      if (kind < 0) throw new TypeError(`keyed state cannot hold a ${v.constructor.name}`);
      this.u8(10);
      this.u8(kind);
      return this.bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    if (v instanceof Date) {
      this.u8(14);
      return this.f64(v.getTime());
    }
    if (path.has(v)) throw new TypeError('keyed state cannot hold a cycle');
    path.add(v);
    if (Array.isArray(v)) {
      this.u8(11);
      this.u32(v.length);
      for (let i = 0; i < v.length; i++) this.value(v[i], path);
    } else if (v instanceof Map) {
      this.u8(12);
      this.u32(v.size);
      for (const [k, x] of v) {
        this.value(k, path);
        this.value(x, path);
      }
    } else if (v instanceof Set) {
      this.u8(13);
      this.u32(v.size);
      for (const x of v) this.value(x, path);
    } else {
      const keys = Object.keys(v);
      this.u8(15);
      this.u32(keys.length);
      for (const k of keys) {
        this.string(k);
        this.value((v as Record<string, unknown>)[k], path);
      }
    }
    path.delete(v);
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProtocolError(`state snapshot truncated: ${n} bytes needed at byte ${this.pos} of ${this.buf.length}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A copy of the next `n` bytes, in memory of its own. */
  bytes(n: number): Buffer {
    this.need(n);
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  text(n: number, encoding: 'latin1' | 'utf16le'): string {
    this.need(n);
    const s = this.buf.toString(encoding, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  value(): unknown {
    const tag = this.u8();
    switch (tag) {
      case 0: return undefined;
      case 1: return null;
      case 2: return false;
      case 3: return true;
      case 4: {
        this.need(4);
        const v = this.buf.readInt32LE(this.pos);
        this.pos += 4;
        return v;
      }
      case 5: return this.f64();
      case 6: return this.text(this.u32(), 'latin1');
      case 7: return this.text(2 * this.u32(), 'utf16le');
      case 8: return BigInt(this.text(this.u32(), 'latin1'));
      case 9: return this.bytes(this.u32());
      case 10: {
        const C = TYPED_ARRAYS[this.u8()];
        if (C === undefined) throw new ProtocolError(`state snapshot has an unknown typed-array kind at byte ${this.pos - 1}`);
        const b = this.bytes(this.u32());
        // A fresh buffer of its own, aligned for the element type.
        const ab = new ArrayBuffer(b.length);
        new Uint8Array(ab).set(b);
        return new C(ab);
      }
      case 11: {
        const n = this.u32();
        const a: unknown[] = [];
        for (let i = 0; i < n; i++) a.push(this.value());
        return a;
      }
      case 12: {
        const n = this.u32();
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = this.value();
          m.set(k, this.value());
        }
        return m;
      }
      case 13: {
        const n = this.u32();
        const s = new Set<unknown>();
        for (let i = 0; i < n; i++) s.add(this.value());
        return s;
      }
      case 14: return new Date(this.f64());
      case 15: {
        const n = this.u32();
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const k = this.value();
          if (typeof k !== 'string') throw new ProtocolError(`state snapshot has a non-string object key before byte ${this.pos}`);
          const x = this.value();
          // `__proto__` is an own key like any other here, not the prototype.
          if (k === '__proto__') Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
          else o[k] = x;
        }
        return o;
      }
      default:
        throw new ProtocolError(`state snapshot has an unknown tag ${tag} at byte ${this.pos - 1}`);
    }
  }
}
