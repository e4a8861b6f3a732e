/**
 * Starts worker threads from a module of this repository, as TypeScript or as JavaScript. Node 20 does not
 * apply the parent's `--import tsx` hooks to worker threads: a TypeScript module is started from a tiny
 * bootstrap that registers tsx first. Imports nothing of the engine.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** The module `name` (no extension) beside `base` (an `import.meta.url`), `.ts` when `base` is TypeScript. */
export function siblingModule(name: string, base: string): URL {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/** A worker running the module at `url` (`.ts` through tsx, anything else as is). */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  // tsx's require hook is synchronous and runs in the worker itself (its ESM hooks start a loader thread: the
  // copy thread's first copy took ~330 ms that way, ~170-240 ms this way; ~60 ms as eval'd JavaScript).
  const tsx = fileURLToPath(import.meta.resolve('tsx/cjs/api'));
  const boot = `require(${JSON.stringify(tsx)}).register();\n` +
    `require(${JSON.stringify(fileURLToPath(url))});`;
  return new Worker(boot, { ...options, eval: true });
}
