// The Java job module's JUnit tests (workloads/flink: parameters, key-group and key parity with the embedded
// workload, MiniCluster runs, savepoint rescales) run inside the suite: `mvn test`, then one node test per
// JUnit test case from surefire's XML reports, so that CI's summary lines count them. Without Java or Maven
// the test says why it skipped; under CI=true that is a failure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { XMLParser } from 'fast-xml-parser';

const MODULE = fileURLToPath(new URL('.', import.meta.url));
const REPORTS = join(MODULE, 'target', 'surefire-reports');
const CI = process.env.CI === 'true';

interface JavaCase { suite: string; name: string; timeS: number; failure?: string }

async function missingTool(): Promise<string | undefined> {
  for (const [cmd, args] of [['java', ['-version']], ['mvn', ['-v']]] as const) {
    const ok = await execa(cmd, args, { reject: false }).then((r) => r.exitCode === 0, () => false);
    if (!ok) return `'${cmd}' is not installed (Debian: apt-get install default-jdk-headless maven)`;
  }
  return undefined;
}

/** Every test case of surefire's TEST-*.xml reports; a failure or error carries its message. */
function readSurefireReports(dir: string): JavaCase[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });
  const out: JavaCase[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith('TEST-') && x.endsWith('.xml')).sort()) {
    const suite = (parser.parse(readFileSync(join(dir, f), 'utf8')) as { testsuite?: { name: string; testcase?: Record<string, unknown>[] } }).testsuite;
    if (suite === undefined) throw new Error(`${join(dir, f)}: not a surefire report (no <testsuite>)`);
    for (const c of suite.testcase ?? []) {
      const bad = (c.failure ?? c.error) as { message?: string; '#text'?: string } | string | undefined;
      const failure = bad === undefined ? undefined : typeof bad === 'string' ? bad : `${bad.message ?? ''}\n${bad['#text'] ?? ''}`.trim();
      out.push({ suite: suite.name, name: String(c.name), timeS: Number(c.time), ...(failure === undefined ? {} : { failure }) });
    }
  }
  return out;
}

const missing = await missingTool();
if (missing !== undefined && CI) assert.fail(`CI=true and ${missing}: the Java job module's tests cannot run`);
if (missing !== undefined) process.stderr.write(`# Java tests skipped: ${missing}\n`);

let cases: JavaCase[] = [];
let mavenError: string | undefined;
if (missing === undefined) {
  rmSync(REPORTS, { recursive: true, force: true });
  const r = await execa('mvn', ['-q', '-B', '-f', join(MODULE, 'pom.xml'), 'test'], { reject: false, all: true, timeout: 600_000 });
  if (existsSync(REPORTS)) cases = readSurefireReports(REPORTS);
  if (r.exitCode !== 0 && cases.every((c) => c.failure === undefined)) mavenError = `mvn test exited ${r.exitCode ?? r.signal}:\n${(r.all ?? '').split('\n').filter((l) => l.includes('ERROR')).slice(-20).join('\n')}`;
}

describe('workloads/flink JUnit tests (mvn test)', { skip: missing === undefined ? false : `Java tests skipped: ${missing}` }, () => {
  it('Maven ran the module\'s tests', () => {
    assert.equal(mavenError, undefined);
    assert.ok(cases.length > 0, `no surefire reports in ${REPORTS}`);
  });
  for (const c of cases) {
    it(`${c.suite.replace(/^spacker\.flink\./, '')} > ${c.name}`, () => {
      if (c.failure !== undefined) assert.fail(c.failure);
    });
  }
});

describe('surefire report reading', () => {
  it('gives each test case, with the message and trace of a failure or an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spacker-surefire-'));
    try {
      writeFileSync(join(dir, 'TEST-spacker.flink.X.xml'), `<?xml version="1.0"?><testsuite name="spacker.flink.X" tests="3"><properties><property name="a" value="b"/></properties>
  <testcase name="ok" classname="spacker.flink.X" time="0.5"/>
  <testcase name="bad" classname="spacker.flink.X" time="0.1"><failure message="expected 3 but was 4" type="AssertionError">at X.bad(X.java:9)</failure></testcase>
  <testcase name="broken" classname="spacker.flink.X" time="0"><error message="boom" type="IOException"/></testcase>
</testsuite>`);
      writeFileSync(join(dir, 'spacker.flink.X.txt'), 'not a report');
      assert.deepEqual(readSurefireReports(dir), [
        { suite: 'spacker.flink.X', name: 'ok', timeS: 0.5 },
        { suite: 'spacker.flink.X', name: 'bad', timeS: 0.1, failure: 'expected 3 but was 4\nat X.bad(X.java:9)' },
        { suite: 'spacker.flink.X', name: 'broken', timeS: 0, failure: 'boom' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
