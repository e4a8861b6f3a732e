/**
 * Starts worker threads from a module of this repository, as TypeScript or as JavaScript. Node 20 does not
 * apply the parent's `--import tsx` hooks to worker threads, and tsx compiling in the worker made the copy
 * thread's first copy ~150 ms later than plain JavaScript: a TypeScript module is bundled once per process
 * into JavaScript by esbuild (tsx's own compiler) in the parent and the worker evaluates that. Imports
 * nothing of the engine.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The module `name` (no extension) beside `base` (an `import.meta.url`), `.ts` when `base` is TypeScript. */
export function siblingModule(name: string, base: string): URL {
  return new URL(`${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/** Bundled JavaScript of the TypeScript modules started so far, by path. */
const bundles = new Map<string, string>();

/** The module at `path` and what it imports, as one CommonJS script (node's own modules stay imports). */
function bundle(path: string): string {
  let code = bundles.get(path);
  if (code === undefined) {
    const out = buildSync({ entryPoints: [path], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
    code = out.outputFiles[0].text;
    bundles.set(path, code);
  }
  return code;
}

/** A worker running the module at `url` (`.ts` bundled to JavaScript first, anything else as is). */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  return new Worker(bundle(fileURLToPath(url)), { ...options, eval: true });
}
