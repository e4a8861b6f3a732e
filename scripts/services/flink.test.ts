/**
 * The Flink session cluster launcher: config rendering, BashJavaUtils output parsing and Maven error parsing
 * (no JVM), then an integration test that starts 1 JobManager + 2 TaskManagers from the cached jars, checks
 * /overview, stops the cluster and checks its pids are gone (skipped without the jar cache, failed under
 * CI=true). Run: node --import tsx --test scripts/services/flink.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CI, flinkJarsSkip } from '../../test/helpers/services.ts';
import {
  assertPortFree,
  DEFAULT_FLINK_VERSION,
  fetchFlinkJars,
  flinkConfigEntries,
  flinkJarsPresent,
  flinkJavaArgs,
  flinkLibDir,
  flinkOverview,
  JOBMANAGER_MAIN,
  parseBashJavaUtilsOutput,
  renderFlinkConfig,
  resourceParams,
  rssKb,
  startFlinkCluster,
  stopFlinkCluster,
  TASKMANAGER_MAIN,
  unresolvedArtifacts,
  type FlinkCluster,
} from './flink.ts';
import { alive } from './servers.ts';

/** What Flink 1.20.5's BashJavaUtils printed here for taskmanager.memory.process.size: 1280m, 2 slots. */
const TM_OUTPUT = `BASH_JAVA_UTILS_EXEC_RESULT:-Xmx301989882 -Xms301989882 -XX:MaxDirectMemorySize=221459252 -XX:MaxMetaspaceSize=268435456
BASH_JAVA_UTILS_EXEC_RESULT:-D taskmanager.memory.network.min=87241524b -D taskmanager.cpu.cores=2.0 -D taskmanager.memory.task.off-heap.size=0b -D taskmanager.memory.jvm-metaspace.size=268435456b -D external-resources=none -D taskmanager.memory.jvm-overhead.min=201326592b -D taskmanager.memory.framework.off-heap.size=134217728b -D taskmanager.memory.network.max=87241524b -D taskmanager.memory.framework.heap.size=134217728b -D taskmanager.memory.managed.size=348966098b -D taskmanager.memory.task.heap.size=167772154b -D taskmanager.numberOfTaskSlots=2 -D taskmanager.memory.jvm-overhead.max=201326592b
`;
/** And for jobmanager.memory.process.size: 1024m, with a log line before (config.sh ignores those). */
const JM_OUTPUT = `INFO  [] - Loading configuration property: jobmanager.memory.process.size, 1024m
BASH_JAVA_UTILS_EXEC_RESULT:-Xmx469762048 -Xms469762048 -XX:MaxMetaspaceSize=268435456
BASH_JAVA_UTILS_EXEC_RESULT:-D jobmanager.memory.off-heap.size=134217728b -D jobmanager.memory.jvm-overhead.min=201326592b -D jobmanager.memory.jvm-metaspace.size=268435456b -D jobmanager.memory.heap.size=469762048b -D jobmanager.memory.jvm-overhead.max=201326592b
`;

describe('Flink config rendering', () => {
  const cfg = { dir: '/x/flink', restPort: 18081, rpcPort: 16123, slotsPerTaskManager: 3 };
  const lines = renderFlinkConfig(cfg).trimEnd().split('\n');
  const parsed = new Map(
    lines
      .filter((l) => !l.startsWith('#'))
      .map((l) => {
        const i = l.indexOf(': ');
        const v = l.slice(i + 2);
        return [l.slice(0, i), v.startsWith('"') ? (JSON.parse(v) as string) : v] as const;
      }),
  );

  it('binds and advertises loopback only, on the ports given', () => {
    for (const k of ['jobmanager.rpc.address', 'jobmanager.bind-host', 'taskmanager.host', 'taskmanager.bind-host', 'rest.address', 'rest.bind-address']) assert.equal(parsed.get(k), '127.0.0.1', k);
    assert.equal(parsed.get('rest.port'), '18081');
    assert.equal(parsed.get('jobmanager.rpc.port'), '16123');
  });

  it('sets the slots, the adaptive scheduler, small process sizes and state folders under the cluster folder', () => {
    assert.equal(parsed.get('taskmanager.numberOfTaskSlots'), '3');
    assert.equal(parsed.get('jobmanager.scheduler'), 'adaptive');
    // A rescale asked through the REST API starts at once, not up to 30 s after the job's start.
    assert.equal(parsed.get('jobmanager.adaptive-scheduler.scaling-interval.min'), '1 s');
    assert.equal(parsed.get('jobmanager.memory.process.size'), '1024m');
    assert.equal(parsed.get('taskmanager.memory.process.size'), '1280m');
    assert.equal(parsed.get('execution.checkpointing.dir'), 'file:///x/flink/checkpoints');
    assert.equal(parsed.get('execution.checkpointing.savepoint-dir'), 'file:///x/flink/savepoints');
    assert.equal(parsed.get('io.tmp.dirs'), '/x/flink/tmp');
    assert.equal(parsed.get('cluster.registration.error-delay'), '1 s');
    assert.match(parsed.get('env.java.default-opts.all') ?? '', /--add-opens=java\.base\/java\.util=ALL-UNNAMED/);
  });

  it('one line per key, strings double-quoted YAML scalars, extras override the defaults', () => {
    assert.equal(new Set(parsed.keys()).size, lines.length - 1);
    assert.ok(lines.includes('rest.address: "127.0.0.1"'));
    assert.ok(lines.includes('rest.port: 18081'));
    const over = new Map(flinkConfigEntries({ ...cfg, taskManagerProcessSize: '2g', extra: { 'jobmanager.scheduler': 'default', 'execution.checkpointing.interval': '1 s' } }));
    assert.equal(over.get('taskmanager.memory.process.size'), '2g');
    assert.equal(over.get('jobmanager.scheduler'), 'default');
    assert.equal(over.get('execution.checkpointing.interval'), '1 s');
  });
});

describe('BashJavaUtils output parsing', () => {
  it('takes the JVM params from the first result line and the dynamic configs from the second', () => {
    const tm = parseBashJavaUtilsOutput(TM_OUTPUT);
    assert.deepEqual(tm.jvmArgs, ['-Xmx301989882', '-Xms301989882', '-XX:MaxDirectMemorySize=221459252', '-XX:MaxMetaspaceSize=268435456']);
    assert.equal(tm.dynamicConfigs['taskmanager.memory.managed.size'], '348966098b');
    assert.equal(tm.dynamicConfigs['external-resources'], 'none');
    assert.equal(Object.keys(tm.dynamicConfigs).length, 13);
    assert.deepEqual(tm.dynamicArgs.slice(0, 4), ['-D', 'taskmanager.memory.network.min=87241524b', '-D', 'taskmanager.cpu.cores=2.0']);
    assert.equal(tm.dynamicArgs.length, 26);
  });

  it('ignores other lines (logging) and reads the JobManager form', () => {
    const jm = parseBashJavaUtilsOutput(JM_OUTPUT);
    assert.deepEqual(jm.jvmArgs, ['-Xmx469762048', '-Xms469762048', '-XX:MaxMetaspaceSize=268435456']);
    assert.equal(jm.dynamicConfigs['jobmanager.memory.heap.size'], '469762048b');
  });

  it('accepts joined -Dkey=value and an empty dynamic line', () => {
    const p = parseBashJavaUtilsOutput('BASH_JAVA_UTILS_EXEC_RESULT:-Xmx1m\nBASH_JAVA_UTILS_EXEC_RESULT:-Da.b=c -D d=e=f\n');
    assert.deepEqual(p.dynamicConfigs, { 'a.b': 'c', d: 'e=f' });
    assert.deepEqual(parseBashJavaUtilsOutput('BASH_JAVA_UTILS_EXEC_RESULT:-Xmx1m\nBASH_JAVA_UTILS_EXEC_RESULT:\n').dynamicArgs, []);
  });

  it('fails, quoting the output, unless there are exactly two result lines that parse', () => {
    assert.throws(() => parseBashJavaUtilsOutput('Error: Could not find or load main class\n'), /printed 0 .* expected 2[\s\S]*Could not find/);
    assert.throws(() => parseBashJavaUtilsOutput(`${TM_OUTPUT}BASH_JAVA_UTILS_EXEC_RESULT:x\n`), /printed 3/);
    assert.throws(() => parseBashJavaUtilsOutput('BASH_JAVA_UTILS_EXEC_RESULT:-Xmx1m\nBASH_JAVA_UTILS_EXEC_RESULT:-D novalue\n'), /do not parse/);
  });

  it('lays the JVM command line out as flink-daemon.sh does: JVM flags, class path, main class, --configDir, -D pairs', () => {
    const tm = parseBashJavaUtilsOutput(TM_OUTPUT);
    const args = flinkJavaArgs('taskmanager', '/c/conf', '/c/lib', '/c/log/taskmanager-0.log', tm);
    assert.deepEqual(args.slice(0, 4), tm.jvmArgs);
    const main = args.indexOf(TASKMANAGER_MAIN);
    assert.deepEqual(args.slice(main - 2, main + 3), ['-classpath', '/c/lib/*', TASKMANAGER_MAIN, '--configDir', '/c/conf']);
    assert.deepEqual(args.slice(main + 3), tm.dynamicArgs);
    assert.ok(args.includes('-Dlog.file=/c/log/taskmanager-0.log'));
    assert.ok(flinkJavaArgs('jobmanager', '/c/conf', '/c/lib', '/c/log/jm.log', tm).includes(JOBMANAGER_MAIN));
  });
});

describe('Maven and port errors', () => {
  it('names the artifacts and version Maven could not resolve', () => {
    const out = `[ERROR] Failed to execute goal on project services-flink: Could not resolve dependencies for project spacker-ts:services-flink:pom:0: The following artifacts could not be resolved: org.apache.flink:flink-core:jar:1.20.99 (absent), org.apache.flink:flink-runtime:jar:1.20.99 (absent): Could not find artifact org.apache.flink:flink-core:jar:1.20.99 in central -> [Help 1]`;
    assert.deepEqual(unresolvedArtifacts(out), ['org.apache.flink:flink-core:jar:1.20.99', 'org.apache.flink:flink-runtime:jar:1.20.99']);
    assert.deepEqual(unresolvedArtifacts('[INFO] BUILD SUCCESS'), []);
  });

  it('without java or mvn on the PATH, says which is missing and how to install it (nothing fetched)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spacker-no-tools-'));
    const which = await execa('which', ['java'], { reject: false });
    const path = process.env.PATH;
    process.env.PATH = empty;
    try {
      await assert.rejects(fetchFlinkJars('0.0.0-not-cached'), /'java' is not installed: install a JDK .*apt-get install default-jdk-headless/);
      if (which.exitCode !== 0) return; // no JDK here: the second half needs one
      // java there, mvn not
      symlinkSync(which.stdout.trim(), join(empty, 'java'));
      await assert.rejects(fetchFlinkJars('0.0.0-not-cached'), /'mvn' is not installed: install Maven \(Debian: apt-get install maven\)/);
      assert.ok(!existsSync(flinkLibDir('0.0.0-not-cached')));
    } finally {
      process.env.PATH = path;
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a REST port in use is a clear error', async () => {
    const srv: Server = createServer();
    const port = await new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as { port: number }).port)));
    try {
      await assert.rejects(assertPortFree(port, 'the REST'), new RegExp(`REST port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      srv.close();
    }
  });
});

describe(`Flink ${DEFAULT_FLINK_VERSION} session cluster (integration)`, { timeout: 120_000 }, () => {
  const skip = flinkJarsSkip();
  let cluster: FlinkCluster | undefined;
  let dir: string | undefined;
  after(async () => {
    if (cluster !== undefined) await stopFlinkCluster(cluster, { graceMs: 5000 });
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('BashJavaUtils of the cached release computes the TaskManager flags from a config.yaml', { skip, timeout: 60_000 }, async () => {
    assert.ok(flinkJarsPresent(), `CI=${String(CI)}: the Flink ${DEFAULT_FLINK_VERSION} jars are missing in ${flinkLibDir()}; 'npm run services -- flink up' fetches them`);
    const d = mkdtempSync(join(tmpdir(), 'spacker-flink-bju-'));
    try {
      writeFileSync(join(d, 'config.yaml'), renderFlinkConfig({ dir: d, restPort: 1, rpcPort: 2, slotsPerTaskManager: 2 }));
      const tm = await resourceParams('taskmanager', d, flinkLibDir());
      assert.ok(tm.jvmArgs.some((a) => /^-Xmx\d+$/.test(a)) && tm.jvmArgs.some((a) => a.startsWith('-XX:MaxDirectMemorySize=')), tm.jvmArgs.join(' '));
      assert.equal(tm.dynamicConfigs['taskmanager.numberOfTaskSlots'], '2');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('starts 1 JobManager + 2 TaskManagers x 2 slots on loopback, /overview shows them, stop leaves none of its pids', { skip, timeout: 110_000 }, async (t) => {
    assert.ok(flinkJarsPresent(), `CI=${String(CI)}: the Flink ${DEFAULT_FLINK_VERSION} jars are missing in ${flinkLibDir()}; 'npm run services -- flink up' fetches them`);
    dir = mkdtempSync(join(tmpdir(), 'spacker-flink-'));
    cluster = await startFlinkCluster(dir, { taskManagers: 2, slotsPerTaskManager: 2, timeoutMs: 90_000 });
    assert.equal(cluster.processes.length, 3);
    assert.match(cluster.restUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const o = await flinkOverview(cluster.restUrl);
    assert.equal(o.taskmanagers, 2);
    assert.equal(o['slots-total'], 4);
    assert.equal(o['slots-available'], 4);
    assert.equal(o['jobs-running'], 0);
    assert.equal(o['flink-version'], DEFAULT_FLINK_VERSION);
    const rss = cluster.processes.map((p) => `${p.role} ${p.pid} ${Math.round((rssKb(p.pid) ?? 0) / 1024)} MiB`);
    t.diagnostic(`Flink ready in ${cluster.startMs} ms; RSS: ${rss.join(', ')}`);
    const pids = cluster.processes.map((p) => p.pid);
    const results = await stopFlinkCluster(cluster);
    assert.deepEqual(results.map((r) => r.result), ['stopped', 'stopped', 'stopped']);
    cluster = undefined;
    assert.deepEqual(pids.filter((p) => alive(p)), [], 'a Flink pid still runs after stop');
  });
});
