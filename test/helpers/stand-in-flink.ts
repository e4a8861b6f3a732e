/**
 * A stand-in for a Spacker-on-Flink build-target (Flink 1.8 needs Java 8, so the real one cannot be built
 * here): bin/start-cluster.sh, bin/flink and bin/stop-cluster.sh as small bash scripts that append their
 * arguments and environment to `<home>/calls.log`. start-cluster.sh starts a loopback REST stand-in answering
 * /overview with one TaskManager per line of the conf's `slaves` (taskmanager.numberOfTaskSlots each); `flink run` writes timer.output and
 * `Splitter FlatMap-<i>.output` (the reference's formats) where the rendered spector.exp.dir says, one per
 * -p2 task. Files in `<home>` switch failures on: fail-start, no-rest, fail-job, job-sleep (seconds).
 */
export { freePort } from '../../scripts/services/servers.ts';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HEADER = `#!/usr/bin/env bash
here="$(cd "$(dirname "$0")/.." && pwd)"
record() { echo "$1 FLINK_CONF_DIR=$FLINK_CONF_DIR FLINK_LOG_DIR=$FLINK_LOG_DIR FLINK_PID_DIR=$FLINK_PID_DIR JAVA_HOME=$JAVA_HOME" >> "$here/calls.log"; }
conf="$FLINK_CONF_DIR/flink-conf.yaml"
`;

const START = `${HEADER}record "start-cluster.sh $*"
if [ -f "$here/fail-start" ]; then echo "Starting cluster." ; echo "Error: could not start the JobManager: $(cat "$here/fail-start")" >&2; exit 3; fi
echo "Starting standalonesession daemon on host stand-in." > "$FLINK_LOG_DIR/flink-standin-standalonesession-0-host.log"
[ -f "$here/no-rest" ] && exit 0
port=$(sed -n 's/^rest.port: //p' "$conf")
tms=$(grep -c . "$FLINK_CONF_DIR/slaves")
slots=$(sed -n 's/^taskmanager.numberOfTaskSlots: //p' "$conf")
nohup node "$here/rest.mjs" "\${port:-8081}" "$tms" "\${slots:-1}" > "$FLINK_LOG_DIR/rest.out" 2>&1 < /dev/null &
echo $! > "$FLINK_PID_DIR/standin-rest.pid"
echo "Starting cluster."
`;

const FLINK = `${HEADER}record "flink $*"
if [ -f "$here/fail-job" ]; then
  echo "Job has been submitted with JobID 0123"
  echo "The program finished with the following exception:" >&2
  echo "" >&2
  echo "org.apache.flink.client.program.ProgramInvocationException: Job failed. (JobID: 0123)" >&2
  echo "	at org.apache.flink.client.program.rest.RestClusterClient.submitJob(RestClusterClient.java:268)" >&2
  echo "Caused by: java.lang.IllegalStateException: boom in Splitter FlatMap" >&2
  exit 1
fi
exp=$(sed -n 's/^spector.exp.dir: //p' "$conf")
p2=1; prev=""; for a in "$@"; do [ "$prev" = "-p2" ] && p2=$a; prev=$a; done
now=$(( $(date +%s) * 1000 ))
for ((i = 0; i < p2; i++)); do for k in 0 1 2; do echo "ts: $((now + k * 1000 + i)) endToEnd latency: $((i + k + 1))" >> "$exp/Splitter FlatMap-$i.output"; done; done
printf '++++++syncTimer : 12ms\\n++++++updateTimer : 30ms\\n++++++endToEndTimer : 45ms\\n+++++++ cur time in ms: %s\\n\\n++++++replicationTimer : 7ms\\n' "$now" > "$exp/timer.output"
echo "Job has been submitted with JobID 0123"
[ -f "$here/job-sleep" ] && sleep "$(cat "$here/job-sleep")"
echo "Program execution finished"
`;

const STOP = `${HEADER}record "stop-cluster.sh $*"
if [ -f "$FLINK_PID_DIR/standin-rest.pid" ]; then kill "$(cat "$FLINK_PID_DIR/standin-rest.pid")" 2>/dev/null; rm -f "$FLINK_PID_DIR/standin-rest.pid"; fi
echo "Stopping standalonesession daemon."
`;

const REST = `import { createServer } from 'node:http';
const [port, tms, slots] = process.argv.slice(2).map(Number);
const body = JSON.stringify({ taskmanagers: tms, 'slots-total': tms * slots, 'slots-available': tms * slots, 'jobs-running': 0, 'flink-version': '1.8.1' });
for (const host of ['127.0.0.1', '::1']) {
  const s = createServer((req, res) => { res.writeHead(req.url === '/overview' ? 200 : 404, { 'Content-Type': 'application/json' }); res.end(body); });
  s.on('error', () => {});
  s.listen(port, host);
}
// A stand-in left behind by a test that died ends by itself.
setTimeout(() => process.exit(0), 120_000);
`;

export interface StandInBuild {
  /** The temporary folder holding everything below (remove it when done). */
  root: string;
  /** The build-target folder (spacker.flink.home). */
  home: string;
  /** A testbed jar (spacker.flink.testbed_jar; content irrelevant). */
  jar: string;
  /** A JAVA_HOME whose bin/java says it is Java 8. */
  javaHome: string;
  /** The recorded calls, one line each. */
  calls(): string[];
  /** Creates `<home>/<flag>` (fail-start, no-rest, fail-job, job-sleep) with `text`. */
  flag(name: 'fail-start' | 'no-rest' | 'fail-job' | 'job-sleep', text?: string): void;
}

export function standInBuild(): StandInBuild {
  const root = mkdtempSync(join(tmpdir(), 'sof-'));
  const home = join(root, 'build-target');
  mkdirSync(join(home, 'bin'), { recursive: true });
  mkdirSync(join(home, 'conf'));
  for (const [name, text] of [['start-cluster.sh', START], ['flink', FLINK], ['stop-cluster.sh', STOP]]) {
    writeFileSync(join(home, 'bin', name), text);
    chmodSync(join(home, 'bin', name), 0o755);
  }
  writeFileSync(join(home, 'rest.mjs'), REST);
  writeFileSync(join(home, 'conf', 'flink-conf.yaml'), 'jobmanager.rpc.address: somewhere-else\n');
  writeFileSync(join(home, 'conf', 'slaves'), 'remote-host\n');
  writeFileSync(join(home, 'conf', 'log4j.properties'), 'log4j.rootLogger=INFO, file\n');
  const jar = join(root, 'testbed-1.0-SNAPSHOT.jar');
  writeFileSync(jar, 'PK stand-in');
  const javaHome = join(root, 'java8');
  mkdirSync(join(javaHome, 'bin'), { recursive: true });
  writeFileSync(join(javaHome, 'bin', 'java'), '#!/usr/bin/env bash\necho \'openjdk version "1.8.0_392"\' >&2\n');
  chmodSync(join(javaHome, 'bin', 'java'), 0o755);
  return {
    root,
    home,
    jar,
    javaHome,
    calls: () => {
      try {
        return readFileSync(join(home, 'calls.log'), 'utf8').trimEnd().split('\n').filter((l) => l !== '');
      } catch {
        return [];
      }
    },
    flag: (name, text = '') => writeFileSync(join(home, name), text),
  };
}
