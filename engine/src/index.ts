/**
 * The engine's public API: what workloads, experiments, benchmarks and the scenario tests import. Anything
 * not exported here is an engine internal (the layering test fails on a deep import from outside engine/).
 * Grouped by layer, leaves first, as engine/test/layering.test.ts orders them.
 */

// Errors every layer throws (EngineError and its kinds).
export * from './errors.ts';

// events: the records a run writes to events.csv, their one writer (formatEvent) and reader (parseEvent).
export * from './events/index.ts';

// core: key groups and their assignment to subtasks, clocks, rate profiles, the Java-compatible random and zipf generators.
export * from './core/key-group.ts';
export * from './core/assignment.ts';
export * from './core/clock.ts';
export * from './core/rate-profile.ts';
export * from './core/java-random.ts';
export * from './core/fast-zipf.ts';
export * from './core/schedule.ts';

// platform: thread priorities, worker threads, GC settings.
export * from './platform/index.ts';

// routing: records to the subtask owning their key group.
export * from './routing/router.ts';

// state: the keyed state backend, timers, snapshots, the copy engine.
export * from './state/keyed-state-backend.ts';
export * from './state/timer-service.ts';
export * from './state/snapshot-codec.ts';
export * from './state/copy-engine.ts';

// metrics: per-record latency capture.
export * from './metrics/latency-chunk.ts';
export * from './metrics/latency-buffer.ts';
export * from './metrics/in-memory-latency-sink.ts';

// control and planner: what a migration plan is, and the pure functions that make one.
export * from './control/plan.ts';
export * from './planner/plan-migration.ts';
export * from './planner/scenarios.ts';

// migration: the mechanism interface, the registry of mechanisms, the layer a run talks to.
export * from './migration/mechanism.ts';
export * from './migration/ports.ts';
export * from './migration/registry.ts';
export * from './migration/controller.ts';
export * from './migration/migration-layer.ts';

// runtime: tasks, job graphs, the job.
export * from './runtime/task.ts';
export * from './runtime/job-graph.ts';
export * from './runtime/job.ts';
