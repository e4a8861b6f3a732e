/**
 * The platform layer's entry point: thread priorities and short sleeps, worker threads (TypeScript workers
 * bundled at start), GC settings. Worker code imports this rather than engine/src/index.ts, so that a worker
 * loads only what it runs.
 */
export * from './threads.ts';
export * from './workers.ts';
export * from './gc.ts';
