/**
 * Bytes a state value holds, as the engine accounts them: raw bytes for binary values, UTF-16 for strings,
 * 8 per number, recursively for arrays, maps and plain objects. Imports nothing.
 */

/** Approximate bytes held by `v` (exact for byte arrays, which is what large states are made of). */
export function sizeOf(v: unknown): number {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
    case 'string':
      return 2 * v.length;
    case 'undefined':
      return 0;
    case 'object': {
      if (v === null) return 0;
      if (ArrayBuffer.isView(v)) return v.byteLength;
      if (Array.isArray(v)) {
        let n = 8;
        for (const x of v) n += sizeOf(x);
        return n;
      }
      if (v instanceof Map) {
        let n = 8;
        for (const [k, x] of v) n += sizeOf(k) + sizeOf(x);
        return n;
      }
      let n = 8;
      for (const k of Object.keys(v)) n += 2 * k.length + sizeOf((v as Record<string, unknown>)[k]);
      return n;
    }
    default:
      return 8;
  }
}
