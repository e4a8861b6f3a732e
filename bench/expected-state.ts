// What state the reference-scale micro-benchmark must hold after `seconds` of input: the same records
// (same source function, 40,000 rec/s of scheduled time) applied to one backend without the engine.
import { KeyedStateBackend, keyGroupOf } from '../engine/src/index.ts';
import type { Key } from '../engine/src/index.ts';
import { groupKeysByKeyGroup } from '../workloads/src/micro-benchmark/key-space.ts';
import { MicroSource } from '../workloads/src/micro-benchmark/micro-source.ts';

export function expectedStateBytes(seconds: number, rate = 40_000, mp = 1024, nKeys = 32768, perKeySize = 32768): number {
  const keys = groupKeysByKeyGroup(nKeys, mp);
  const source = new MicroSource(keys, { seed: 12345678, accessSeed: 123456789, zipfSkew: 0, skewFromMs: 0, accessKeyGroups: Math.round(mp * 0.02) });
  const written = new Set<Key>();
  const out = {
    collect(access: boolean, key?: Key) {
      if (access) written.add(key as Key);
    },
  };
  const n = rate * seconds;
  for (let i = 0; i < n; i++) source.emit(i, (i * 1000) / rate, out);
  // Bytes as the backend accounts them: per key, the map entry (key + 8) plus one value of perKeySize bytes.
  const backend = new KeyedStateBackend(mp, Array.from({ length: mp }, (_, i) => i));
  const m = backend.mapState<Key, Buffer>('word-count');
  const value = Buffer.alloc(perKeySize);
  for (const k of written) {
    backend.setCurrentKey(k, keyGroupOf(k, mp));
    m.put(k, value);
  }
  return backend.totalBytes();
}
