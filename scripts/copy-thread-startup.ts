// Time from the first slab of a new CopyEngine to its first copy done (the copy thread's start-up), ms.
import { CopyEngine } from '../engine/src/index.ts';
const e = new CopyEngine(1 << 10);
const a = new Uint8Array(new SharedArrayBuffer(1 << 20));
const b = new Uint8Array(new SharedArrayBuffer(1 << 20));
const t0 = performance.now();
e.addSlab(a.buffer as SharedArrayBuffer); e.addSlab(b.buffer as SharedArrayBuffer);
const t = e.submit([a.subarray(0, 4096)], [b.subarray(0, 4096)]) as number;
while (!e.done(t)) await new Promise((r) => setImmediate(r));
console.log(`startup ${(performance.now() - t0).toFixed(1)} ms, threadBytes ${e.stats.threadBytes}`);
process.exit(0);
