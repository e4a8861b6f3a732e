// Keeps the layering honest by scanning every import (TypeScript's own pre-processor: static imports,
// re-exports, side-effect and dynamic imports). Inside engine/src, leaves first: errors.ts and platform/
// (thread priorities, workers, GC) import nothing; events/ (what a run records) and core/ import only
// errors.ts; routing/, state/ and metrics/
// import only core/ (state/ also platform/); control/ (what a plan is) imports core/; planner/ (pure functions)
// imports control/ and core/; migration/ imports those and routing/, state/ and events/; runtime/, the top layer, may
// import all of them, and nothing else in engine/src imports runtime/. Outside engine/ (workloads, experiments,
// analysis, bench, test, scripts) the engine is reached only through its entry points: engine/src/index.ts or
// a layer's index.ts. Across the top level: engine/ never imports workloads/, experiments/ or analysis/;
// workloads/ never imports experiments/ or analysis/; analysis/ reads results folders and imports nothing of the
// engine but engine/src/events/index.ts (the results contract: the engine writes events, the analysis reads
// them). A failure names each violating file and import.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** One relative import: the importing file and the imported path, both relative to the repository root. */
interface Edge {
  readonly from: string;
  readonly specifier: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out; // a top-level folder that does not exist yet
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The relative imports of `files` (package and `node:` imports are not layering). */
function importsOf(files: readonly string[]): Edge[] {
  const edges: Edge[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) continue;
      edges.push({ from: posix(relative(ROOT, file)), specifier, to: posix(relative(ROOT, resolve(dirname(file), specifier))) });
    }
  }
  return edges;
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

/** The engine layer of a path under engine/src (`errors` for errors.ts), or undefined. */
function layerOf(path: string): string | undefined {
  const m = /^engine\/src\/([^/]+)/.exec(path);
  if (m === null) return undefined;
  return m[1] === 'errors.ts' ? 'errors' : m[1].replace(/\.ts$/, '');
}

/** What each engine layer may import inside engine/src (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  platform: [],
  events: ['errors'],
  core: ['errors'],
  routing: ['core', 'errors'],
  state: ['core', 'errors', 'platform'],
  metrics: ['core', 'errors'],
  control: ['core', 'errors'],
  planner: ['control', 'core', 'errors'],
  migration: ['control', 'core', 'errors', 'events', 'planner', 'routing', 'state'],
};

/** The top-level folders that use the engine from outside, only through an entry point. */
const OUTSIDE = ['workloads', 'experiments', 'analysis', 'bench', 'test', 'scripts'];

/** The results contract: the event records the engine writes and the analysis reads. */
const EVENTS_ENTRY = 'engine/src/events/index.ts';

/** engine/src/index.ts, or a layer's own index.ts (e.g. engine/src/platform/index.ts for worker code). */
function isEntryPoint(path: string): boolean {
  return path === 'engine/src/index.ts' || /^engine\/src\/[^/]+\/index\.ts$/.test(path);
}

/** The rule an import breaks, or undefined. Pure, so the rules themselves can be checked. */
function violation(e: Pick<Edge, 'from' | 'to'>): string | undefined {
  const top = (p: string): string => p.split('/')[0];
  const from = top(e.from);
  const to = top(e.to);
  if (from === 'engine' && ['workloads', 'experiments', 'analysis'].includes(to)) return `engine/ never imports ${to}/`;
  if (from === 'workloads' && ['experiments', 'analysis'].includes(to)) return `workloads/ never imports ${to}/`;
  if (from === 'analysis' && to === 'engine' && e.to !== EVENTS_ENTRY) return `analysis/ imports nothing of the engine but ${EVENTS_ENTRY} (the results contract; it reads results folders)`;
  if (OUTSIDE.includes(from) && e.to.startsWith('engine/src/') && !isEntryPoint(e.to)) return `${from}/ reaches the engine through engine/src/index.ts (or a layer's index.ts), not a deep import`;
  const a = layerOf(e.from);
  const b = layerOf(e.to);
  if (a !== undefined && e.to === 'engine/src/index.ts') return 'inside engine/src a module imports the module it needs, not the entry point';
  if (a === 'index') return undefined; // the entry point re-exports every layer
  if (a === undefined || b === undefined || a === b) return undefined;
  const allowed = ALLOWED[a];
  if (allowed !== undefined && !allowed.includes(b)) return `${a === 'errors' ? 'errors.ts' : `${a}/`} may import only ${allowed.length ? allowed.map((x) => (x === 'errors' ? 'errors.ts' : `${x}/`)).join(', ') : 'nothing'} in engine/src`;
  if (b === 'runtime' && a !== 'runtime') return 'only runtime/ imports runtime/ (it is the top layer of engine/src)';
  return undefined;
}

const files = ['engine', ...OUTSIDE].flatMap((d) => sourceFiles(join(ROOT, d)));
const edges = importsOf(files);

describe('engine > layering', () => {
  it('finds the imports it is meant to judge', () => {
    assert.ok(files.length > 30, `${files.length} files scanned`);
    const has = (from: string, to: string): boolean => edges.some((e) => e.from === from && e.to === to);
    assert.ok(has('engine/src/runtime/job.ts', 'engine/src/routing/router.ts'), 'a static import');
    assert.ok(has('engine/src/routing/router.ts', 'engine/src/core/control-event.ts'), 'a type-only import');
    assert.ok(edges.some((e) => e.from.startsWith('workloads/') && e.to.startsWith('engine/src/')), 'workloads use the engine');
    assert.ok(edges.some((e) => e.from.startsWith('bench/') && e.to === 'engine/src/index.ts'), 'benchmarks are scanned, and use the entry point');
    assert.ok(has('analysis/src/read/run-folder.ts', EVENTS_ENTRY), 'the analysis reads events with the engine reader');
    const probe = importsOf([fileURLToPath(import.meta.url)]);
    assert.deepEqual(probe, [], 'this file imports only packages');
    const dynamic = ts.preProcessFile("const m = await import('../x.ts'); export { y } from './y.ts';", true, true).importedFiles.map((f) => f.fileName);
    assert.deepEqual(dynamic.sort(), ['../x.ts', './y.ts'], 'dynamic imports and re-exports count too');
  });

  it('the rules reject what they should and allow what they should', () => {
    const bad: [string, string][] = [
      ['engine/src/core/key-group.ts', 'engine/src/routing/router.ts'],
      ['engine/src/core/clock.ts', 'engine/src/runtime/job.ts'],
      ['engine/src/routing/router.ts', 'engine/src/state/keyed-state-backend.ts'],
      ['engine/src/state/size-of.ts', 'engine/src/metrics/latency-buffer.ts'],
      ['engine/src/metrics/latency-buffer.ts', 'engine/src/routing/channel.ts'],
      ['engine/src/errors.ts', 'engine/src/core/clock.ts'],
      ['engine/src/migration/spacker/executor.ts', 'engine/src/runtime/job.ts'],
      ['engine/test/pipeline.test.ts', 'workloads/src/micro-benchmark/micro-benchmark.ts'],
      ['engine/src/runtime/job.ts', 'experiments/src/cli/main.ts'],
      ['workloads/src/x.ts', 'analysis/src/y.ts'],
      ['workloads/src/x.ts', 'experiments/src/y.ts'],
      ['analysis/src/series.ts', 'engine/src/runtime/job.ts'],
      ['analysis/src/series.ts', 'engine/src/index.ts'],
      ['analysis/src/read/run-folder.ts', 'engine/src/events/codec.ts'],
      ['analysis/src/model.ts', 'engine/src/errors.ts'],
      ['analysis/src/model.ts', 'engine/src/core/index.ts'],
      ['engine/src/events/records.ts', 'engine/src/core/key-group.ts'],
      ['engine/src/events/codec.ts', 'engine/src/migration/mechanism.ts'],
      ['experiments/src/run/run-job.ts', 'engine/src/runtime/job.ts'],
      ['workloads/src/stock/stock.ts', 'engine/src/errors.ts'],
      ['bench/mechanisms.bench.ts', 'engine/src/migration/registry.ts'],
      ['test/families-quick.test.ts', 'engine/src/core/key-group.ts'],
      ['engine/src/migration/spacker/executor.ts', 'engine/src/index.ts'],
      ['engine/src/planner/order.ts', 'engine/src/migration/registry.ts'],
      ['engine/src/control/plan.ts', 'engine/src/planner/plan-migration.ts'],
      ['engine/src/migration/registry.ts', 'engine/src/metrics/latency-buffer.ts'],
      ['engine/src/platform/threads.ts', 'engine/src/core/clock.ts'],
      ['engine/src/platform/workers.ts', 'engine/src/errors.ts'],
      ['engine/src/platform/gc.ts', 'experiments/src/run/run-job.ts'],
    ];
    for (const [from, to] of bad) assert.ok(violation({ from, to }) !== undefined, `${from} -> ${to} is rejected`);
    const good: [string, string][] = [
      ['engine/src/core/rate-profile.ts', 'engine/src/core/clock.ts'],
      ['engine/src/routing/router.ts', 'engine/src/errors.ts'],
      ['engine/src/state/keyed-state-backend.ts', 'engine/src/core/key-group.ts'],
      ['engine/src/runtime/job.ts', 'engine/src/metrics/latency-buffer.ts'],
      ['engine/src/runtime/keyed-task.ts', 'engine/src/state/keyed-state-backend.ts'],
      ['engine/test/pipeline.test.ts', 'engine/src/runtime/job.ts'],
      ['workloads/src/micro-benchmark/micro-benchmark.ts', 'engine/src/index.ts'],
      ['experiments/src/cli/main.ts', 'workloads/src/micro-benchmark/micro-benchmark.ts'],
      ['engine/src/state/copy-engine.ts', 'engine/src/platform/workers.ts'],
      ['engine/src/runtime/job.ts', 'engine/src/platform/threads.ts'],
      ['experiments/src/run/run-job.ts', 'engine/src/index.ts'],
      ['experiments/src/results/latency-log-worker.ts', 'engine/src/platform/index.ts'],
      ['test/micro-benchmark-pipeline.test.ts', 'engine/test/helpers/manual-job.ts'],
      ['engine/src/index.ts', 'engine/src/runtime/job.ts'],
      ['engine/src/planner/plan-migration.ts', 'engine/src/control/plan.ts'],
      ['engine/src/migration/spacker/executor.ts', 'engine/src/planner/plan-migration.ts'],
      ['analysis/src/read/run-folder.ts', 'engine/src/events/index.ts'],
      ['engine/src/events/codec.ts', 'engine/src/errors.ts'],
      ['engine/src/migration/ending.ts', 'engine/src/events/index.ts'],
      ['engine/src/runtime/job.ts', 'engine/src/events/index.ts'],
      ['experiments/src/run/summary.ts', 'engine/src/events/index.ts'],
    ];
    for (const [from, to] of good) assert.equal(violation({ from, to }), undefined, `${from} -> ${to} is allowed`);
  });

  it('every import in the repository respects the layer order', () => {
    const found = edges.flatMap((e) => {
      const rule = violation(e);
      return rule === undefined ? [] : [`${e.from}: import '${e.specifier}' (${e.to}) breaks "${rule}"`];
    });
    assert.deepEqual(found, [], `layering violations:\n  ${found.join('\n  ')}`);
  });
});
