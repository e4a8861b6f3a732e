// Spacker-on-Flink (issue 18) against stand-in scripts (test/helpers/stand-in-flink.ts): the rendered conf,
// the exact command lines and their order, the stop run even when a step fails, the results folder read by
// the analysis like a reference run, and the bad inputs that fail before anything starts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSetArgs } from '../experiments/src/config/parse.ts';
import { loadProfile } from '../experiments/src/config/profile.ts';
import { resolveConfig } from '../experiments/src/config/resolve.ts';
import { SpackerOnFlinkError } from '../experiments/src/flink/spacker-on-flink/commands.ts';
import { RUN_RECORD, runSpackerOnFlink, type SofRunInput } from '../experiments/src/flink/spacker-on-flink/execute.ts';
import { spackerOnFlinkPlan, type SofPlan } from '../experiments/src/flink/spacker-on-flink/plan.ts';
import { scanResults } from '../analysis/src/read/run-folder.ts';
import { readLatencyLog } from '../analysis/src/read/latency-log.ts';
import { seriesFromLogs } from '../analysis/src/compute/series.ts';
import { freePort, standInBuild, type StandInBuild } from './helpers/stand-in-flink.ts';
import { runCli } from './helpers/run-cli.ts';

const PROFILE = 'conf-local';
/** Temporary folders the tests made, removed at the end. */
const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temporary folder removed after the tests. */
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

function newBuild(): StandInBuild {
  const b = standInBuild();
  made.push(b.root);
  return b;
}

async function setup(extra: string[] = []): Promise<{ build: StandInBuild; plan: SofPlan; out: string; parent: string; restPort: number; rpcPort: number }> {
  const b = newBuild();
  const [restPort, rpcPort] = [await freePort(), await freePort()];
  const layer = loadProfile(PROFILE);
  const sets = [
    'spacker.engine=spacker-on-flink', `spacker.flink.home=${b.home}`, `spacker.flink.testbed_jar=${b.jar}`,
    'spacker.runtime=2', 'spacker.parallelism=2', 'spacker.rate.per_task=100', 'spacker.max_parallelism=128',
    'spacker.workload.n_keys=1024', `rest.port=${restPort}`, `jobmanager.rpc.port=${rpcPort}`, ...extra,
  ];
  const config = resolveConfig([layer, parseSetArgs(sets)]);
  const plan = spackerOnFlinkPlan(config, 'micro-benchmark', { name: PROFILE, source: layer.source, text: readFileSync(layer.source, 'utf8') });
  const out = tempDir('sof-results-');
  const parent = join(out, 'micro-benchmark');
  mkdirSync(parent);
  return { build: b, plan, out, parent, restPort, rpcPort };
}

function input(s: { build: StandInBuild; plan: SofPlan; parent: string }, over: Partial<SofRunInput> = {}): SofRunInput {
  return {
    resultsParent: s.parent, runName: 'run1', plan: s.plan, workload: { name: 'micro-benchmark', params: {} },
    env: { JAVA_HOME: s.build.javaHome }, timeouts: { readyMs: 15_000, graceMs: 20_000 }, ...over,
  };
}

/** A call line without its environment part. */
const commandOf = (line: string): string => line.replace(/ FLINK_CONF_DIR=.*$/, '');

describe('spacker-on-flink > stand-in build', () => {
  it('renders the conf, runs start, flink run, stop in order, and leaves a reference run the analysis reads', async () => {
    const s = await setup();
    const notes: string[] = [];
    const steps: string[] = [];
    const r = await runSpackerOnFlink(input(s, { onNote: (n) => notes.push(n), onProgress: (p) => steps.at(-1) !== p.step && steps.push(p.step) }));
    const dir = join(s.parent, 'run1');
    assert.equal(r.dir, dir);
    assert.deepEqual(steps, ['write-conf', 'start-cluster', 'wait-ready', 'run-job', 'stop-cluster', 'collect']);
    assert.deepEqual(notes, []);
    const tmp = `${dir}.tmp-${process.pid}`;
    const calls = s.build.calls();
    assert.deepEqual(calls.map(commandOf), [
      'start-cluster.sh ',
      `flink run -c flinkapp.MicroBenchmark ${s.build.jar} -runtime 2 -nTuples 400 -p1 1 -p2 2 -mp2 128 -nKeys 1024 -perKeySize 32768 -interval 1000 -stateAccessRatio 2 -zipf_skew 0`,
      'stop-cluster.sh ',
    ]);
    for (const c of calls) assert.ok(c.endsWith(` FLINK_CONF_DIR=${tmp}/conf FLINK_LOG_DIR=${tmp}/log FLINK_PID_DIR=${tmp}/pid JAVA_HOME=${s.build.javaHome}`), c);
    // What Flink read: the profile with the run's values, spector.exp.dir into the run folder, the slaves file.
    const conf = readFileSync(join(dir, 'conf', 'flink-conf.yaml'), 'utf8');
    assert.match(conf, /^spector\.reconfig\.sync_keys: 8$/m);
    assert.match(conf, /^jobmanager\.rpc\.address: localhost$/m);
    assert.match(conf, new RegExp(`^rest\\.port: ${s.restPort}$`, 'm'));
    assert.match(conf, new RegExp(`^jobmanager\\.rpc\\.port: ${s.rpcPort}$`, 'm'));
    assert.ok(conf.endsWith(`spector.exp.dir: ${tmp}/spector\n`), conf.slice(-200));
    assert.doesNotMatch(conf, /^spacker\./m);
    assert.equal(readFileSync(join(dir, 'conf', 'slaves'), 'utf8'), 'localhost\nlocalhost\n');
    assert.equal(readFileSync(join(dir, 'conf', 'log4j.properties'), 'utf8'), 'log4j.rootLogger=INFO, file\n');
    // Collected: the logs at the top of the run folder, nothing left in spector/ or pid/.
    assert.deepEqual(r.outputs, ['Splitter FlatMap-0.output', 'Splitter FlatMap-1.output', 'timer.output']);
    assert.deepEqual(readdirSync(dir).sort(), [...r.outputs, 'conf', 'log', RUN_RECORD].sort());
    const record = JSON.parse(readFileSync(join(dir, RUN_RECORD), 'utf8')) as { steps: { step: string; command?: string }[]; config: Record<string, unknown>; clientStopped: boolean };
    assert.equal(record.steps.find((x) => x.step === 'run-job')?.command, `${s.build.home}/bin/flink run -c flinkapp.MicroBenchmark ${s.build.jar} -runtime 2 -nTuples 400 -p1 1 -p2 2 -mp2 128 -nKeys 1024 -perKeySize 32768 -interval 1000 -stateAccessRatio 2 -zipf_skew 0`);
    assert.equal(record.config['spector.reconfig.scenario'], 'static');
    assert.equal(record.clientStopped, false);
    // The analysis reads it as a reference run: timers from timer.output, per-second series from the logs.
    const scan = scanResults(s.out);
    assert.deepEqual(scan.problems, []);
    assert.equal(scan.runs.length, 1);
    const run = scan.runs[0];
    assert.equal(run.format, 'reference');
    // ... with the configuration the harness recorded, so figures label and group it like one of ours.
    assert.equal(run.config['spector.reconfig.scenario'], 'static');
    assert.equal(run.config['spacker.parallelism'], record.config['spacker.parallelism']);
    assert.ok(run.explicit.includes('spector.reconfig.scenario'), run.explicit.join(', '));
    assert.deepEqual(run.timers.map((t) => [t.timer, t.durationMs]), [['sync', 12], ['update', 30], ['endToEnd', 45], ['replication', 7]]);
    const series = seriesFromLogs(run.latencyFiles.map(readLatencyLog), { origin: 'min-bucket' }).filter((p) => p.subtask === 'all' && p.scope === 'all');
    assert.deepEqual(series.map((p) => [p.ts_s, p.count, p.max]), [[0, 2, 2], [1, 2, 3], [2, 2, 4]]);
  });

  it('a failing flink run: one error with the command, exit code and the job exception; stop still runs; earlier runs kept', async () => {
    const s = await setup();
    await runSpackerOnFlink(input(s, { runName: 'earlier' }));
    s.build.flag('fail-job');
    const before = s.build.calls().length;
    await assert.rejects(runSpackerOnFlink(input(s)), (e: unknown) => {
      assert.ok(e instanceof SpackerOnFlinkError);
      assert.equal(e.step, 'run-job');
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /step run-job: .*\/bin\/flink run -c flinkapp\.MicroBenchmark .* exited with code 1/);
      assert.match(e.message, /ProgramInvocationException: Job failed/);
      assert.match(e.message, /Caused by: java\.lang\.IllegalStateException: boom in Splitter FlatMap/);
      return true;
    });
    assert.deepEqual(s.build.calls().slice(before).map((c) => c.split(' ')[0]), ['start-cluster.sh', 'flink', 'stop-cluster.sh']);
    assert.ok(existsSync(join(s.parent, 'run1.failed', 'FAILED')));
    assert.ok(existsSync(join(s.parent, 'earlier', 'timer.output')), 'the earlier run is untouched');
    assert.deepEqual(readdirSync(s.parent).sort(), ['earlier', 'run1.failed']);
  });

  it('a failing start script: its exit code and message; stop still runs; no flink run', async () => {
    const s = await setup();
    s.build.flag('fail-start', 'Address already in use');
    await assert.rejects(runSpackerOnFlink(input(s)), (e: unknown) => {
      assert.ok(e instanceof SpackerOnFlinkError);
      assert.equal(e.step, 'start-cluster');
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /bin\/start-cluster\.sh exited with code 3/);
      assert.match(e.message, /Error: could not start the JobManager: Address already in use/);
      return true;
    });
    assert.deepEqual(s.build.calls().map((c) => c.split(' ')[0]), ['start-cluster.sh', 'stop-cluster.sh']);
  });

  it('a cluster that does not answer: the URL, the JobManager log tail, and the stop', async () => {
    const s = await setup();
    s.build.flag('no-rest');
    await assert.rejects(runSpackerOnFlink(input(s, { timeouts: { readyMs: 1500 } })), (e: unknown) => {
      assert.ok(e instanceof SpackerOnFlinkError);
      assert.equal(e.step, 'wait-ready');
      assert.match(e.message, new RegExp(`does not answer at http://localhost:${s.restPort}/overview within 2 s`));
      assert.match(e.message, /Starting standalonesession daemon on host stand-in\./);
      return true;
    });
    assert.deepEqual(s.build.calls().map((c) => c.split(' ')[0]), ['start-cluster.sh', 'stop-cluster.sh']);
  });

  it('a cluster with too few slots: one error naming the keys, before flink run; the stop', async () => {
    const s = await setup(['taskmanager.numberOfTaskSlots=1', 'spacker.parallelism=4']);
    await assert.rejects(runSpackerOnFlink(input(s)), (e: unknown) => e instanceof SpackerOnFlinkError && e.step === 'wait-ready' && /has 2 slot\(s\) on 2 TaskManager\(s\); the job needs 4 \(spacker\.parallelism\): raise taskmanager\.numberOfTaskSlots or spacker\.task_managers/.test(e.message));
    assert.deepEqual(s.build.calls().map((c) => c.split(' ')[0]), ['start-cluster.sh', 'stop-cluster.sh']);
  });

  it('a job still attached at runtime + grace is stopped with the cluster, as the reference does; the run completes', async () => {
    const s = await setup();
    s.build.flag('job-sleep', '60');
    const notes: string[] = [];
    const t0 = Date.now();
    const r = await runSpackerOnFlink(input(s, { timeouts: { graceMs: 500 }, onNote: (n) => notes.push(n) }));
    assert.ok(Date.now() - t0 < 30_000, 'bounded');
    assert.equal(r.clientStopped, true);
    assert.match(notes.join('\n'), /still attached 3 s after it started/);
    assert.deepEqual(s.build.calls().map((c) => c.split(' ')[0]), ['start-cluster.sh', 'flink', 'stop-cluster.sh']);
  });

  it('a port in use, no Java: one error before anything is written or started', async () => {
    const s = await setup();
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(s.restPort, '127.0.0.1', res));
    try {
      await assert.rejects(runSpackerOnFlink(input(s)), (e: unknown) => e instanceof SpackerOnFlinkError && e.step === 'check-ports' && e.message.includes(`port ${s.restPort} (rest.port) is in use`) && e.message.includes(`--set rest.port=<port>`));
    } finally {
      await new Promise((res) => blocker.close(res));
    }
    const empty = tempDir('no-java-');
    await assert.rejects(runSpackerOnFlink(input(s, { env: { JAVA_HOME: '', PATH: empty } })), (e: unknown) => e instanceof SpackerOnFlinkError && e.step === 'check-java' && /no Java: 'java -version' failed .*Java 8: set JAVA_HOME/.test(e.message));
    assert.deepEqual(s.build.calls(), []);
    assert.deepEqual(readdirSync(s.parent), []);
  });

  it('spacker job: --profile picks the profile; the run lands in <out>/<job>/sof-...; --profile without the engine is refused', async () => {
    const build = newBuild();
    const out = tempDir('sof-cli-');
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = build.javaHome;
    try {
      const sets = ['spacker.engine=spacker-on-flink', `spacker.flink.home=${build.home}`, `spacker.flink.testbed_jar=${build.jar}`, 'spacker.runtime=1', 'spacker.parallelism=2', 'spector.reconfig.affected_tasks=2', `rest.port=${await freePort()}`, `jobmanager.rpc.port=${await freePort()}`];
      const r = await runCli(['job', 'micro-benchmark', '--profile', 'conf-server', '--out', out, ...sets.flatMap((x) => ['--set', x])]);
      assert.equal(r.code, 0, r.stderr);
      const [run] = readdirSync(join(out, 'micro-benchmark'));
      assert.match(run, /^sof-rate5000-p2-/);
      // conf-server: 8 TaskManagers (its slaves file), chunks of 2, order reverse
      assert.equal(readFileSync(join(out, 'micro-benchmark', run, 'conf', 'slaves'), 'utf8'), 'localhost\n'.repeat(8));
      assert.match(readFileSync(join(out, 'micro-benchmark', run, 'conf', 'flink-conf.yaml'), 'utf8'), /^spector\.reconfig\.order_function: reverse$/m);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
    const refused = await runCli(['job', 'micro-benchmark', '--profile', 'conf-local']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /'--profile'.*only with spacker\.engine=spacker-on-flink/);
  });
});
