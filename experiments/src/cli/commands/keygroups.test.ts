// Runs `spacker keygroups` in-process through main() (and once as a real subprocess) and checks the CSV
// against the Java-computed vectors in engine/test/fixtures/keygroup-vectors.json, the RFC 4180 quoting of
// awkward keys, and that every bad option value exits 2 with one line naming the option.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keyGroupOf, operatorIndexOf } from '../../../../engine/src/index.ts';
import { runCli } from '../../../../test/helpers/run-cli.ts';

interface Fixture {
  stringKeys: { key: string; keyGroup: Record<string, number> }[];
  assignments: { maxParallelism: number; parallelism: number; operatorIndex: number[] }[];
}
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = JSON.parse(
  readFileSync(new URL('../../../../engine/test/fixtures/keygroup-vectors.json', import.meta.url), 'utf8'),
) as Fixture;

const run = runCli;

/** Java's key group and initial subtask of a fixture key for one of the fixture's (mp, p) tables. */
function expected(key: string, mp: number, p: number): { keyGroup: number; subtask: number } {
  const vector = fixture.stringKeys.find((v) => v.key === key);
  const table = fixture.assignments.find((a) => a.maxParallelism === mp && a.parallelism === p);
  assert.ok(vector && table, `fixture has ${JSON.stringify(key)} and (mp=${mp}, p=${p})`);
  const keyGroup = vector.keyGroup[mp];
  return { keyGroup, subtask: table.operatorIndex[keyGroup] };
}

const plainKeys = ['A0', 'A1', 'A7', 'A42', 'A99', 'A32767', '\u043a\u043b\u044e\u0447', '\u65e5\u672c', '\ud83d\ude00'];

describe('cli > keygroups', () => {
  for (const [mp, p] of [[1024, 8], [128, 3], [32768, 16]]) {
    it(`prints the header and Java's key group and subtask per key, in order (mp=${mp}, p=${p})`, async () => {
      const keys = [...plainKeys].reverse();
      const r = await run(['keygroups', '--max-parallelism', String(mp), '--parallelism', String(p), ...keys]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const lines = r.stdout.split('\n');
      assert.equal(lines.pop(), '', 'output ends with a newline');
      assert.equal(lines[0], 'key,keyGroup,subtask');
      const rows = keys.map((k) => {
        const e = expected(k, mp, p);
        return `${k},${e.keyGroup},${e.subtask}`;
      });
      assert.deepEqual(lines.slice(1), rows);
    });
  }

  it('quotes keys with commas, quotes and newlines per RFC 4180 and keeps numeric-looking keys as typed', async () => {
    const keys = ['a,b', 'say "hi"', 'x,"y",z', 'line1\nline2', ' padded '];
    const r = await run(['keygroups', '--max-parallelism', '128', '--parallelism', '3', ...keys, '007', '1e3']);
    assert.equal(r.code, 0, r.stderr);
    const e = keys.map((k) => expected(k, 128, 3));
    const asTyped = ['007', '1e3'].map((k) => `${k},${keyGroupOf(k, 128)},${operatorIndexOf(keyGroupOf(k, 128), 128, 3)}\n`);
    assert.equal(
      r.stdout,
      'key,keyGroup,subtask\n' +
        `"a,b",${e[0].keyGroup},${e[0].subtask}\n` +
        `"say ""hi""",${e[1].keyGroup},${e[1].subtask}\n` +
        `"x,""y"",z",${e[2].keyGroup},${e[2].subtask}\n` +
        `"line1\nline2",${e[3].keyGroup},${e[3].subtask}\n` +
        ` padded ,${e[4].keyGroup},${e[4].subtask}\n` +
        asTyped.join(''),
    );
  });

  it('takes keys starting with "-" after --, as typed', async () => {
    const r = await run(['keygroups', '--max-parallelism', '128', '--parallelism', '3', 'A0', '--', '-x', '0x10']);
    assert.equal(r.code, 0, r.stderr);
    const e = expected('A0', 128, 3);
    assert.match(r.stdout, new RegExp(`^key,keyGroup,subtask\\nA0,${e.keyGroup},${e.subtask}\\n-x,\\d+,\\d\\n0x10,\\d+,\\d\\n$`));
  });

  it('takes keys given only after -- (negative numbers)', async () => {
    const r = await run(['keygroups', '--max-parallelism', '128', '--parallelism', '3', '--', '-5', '-1e3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^key,keyGroup,subtask\n-5,\d+,\d\n-1e3,\d+,\d\n$/);
  });

  it('refuses no key at all: exit 2, one line saying what is needed', async () => {
    const r = await run(['keygroups', '--max-parallelism', '128', '--parallelism', '3']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^spacker: [^\n]*at least one key[^\n]*\n$/);
  });

  const bad: [string, string[], RegExp][] = [
    ['parallelism 0', ['--max-parallelism', '128', '--parallelism', '0'], /'--parallelism': 0;/],
    ['parallelism > max parallelism', ['--max-parallelism', '128', '--parallelism', '129'], /'--parallelism': 129;/],
    ['max parallelism 0', ['--max-parallelism', '0', '--parallelism', '1'], /'--max-parallelism': 0;/],
    ['max parallelism 40000', ['--max-parallelism', '40000', '--parallelism', '1'], /'--max-parallelism': 40000;.*32768/],
    ['non-integer parallelism', ['--max-parallelism', '128', '--parallelism', '1.5'], /'--parallelism': "1.5"/],
    ['non-numeric max parallelism', ['--max-parallelism', 'lots', '--parallelism', '1'], /'--max-parallelism': "lots"/],
    ['empty parallelism', ['--max-parallelism', '128', '--parallelism', ''], /'--parallelism': ""/],
    ['missing --parallelism', ['--max-parallelism', '128'], /(?<!max-)parallelism/],
    ['missing --max-parallelism', ['--parallelism', '1'], /max-parallelism/],
  ];
  for (const [name, options, message] of bad) {
    it(`rejects ${name}: exit 2, one line naming the option, no CSV`, async () => {
      const r = await run(['keygroups', ...options, 'A0']);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^spacker: [^\n]*\n$/);
      assert.match(r.stderr, message);
    });
  }

  it('works end to end as a subprocess: CSV on stdout, exit 2 and one line on stderr for bad input', () => {
    const cli = ['--import', 'tsx', 'experiments/src/cli/main.ts', 'keygroups'];
    const ok = spawnSync(process.execPath, [...cli, '--max-parallelism', '1024', '--parallelism', '8', 'A0', 'a,b'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    const a0 = expected('A0', 1024, 8);
    const ab = expected('a,b', 1024, 8);
    assert.equal(ok.stdout, `key,keyGroup,subtask\nA0,${a0.keyGroup},${a0.subtask}\n"a,b",${ab.keyGroup},${ab.subtask}\n`);
    const fail = spawnSync(process.execPath, [...cli, '--max-parallelism', '8', '--parallelism', '9', 'A0'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(fail.status, 2);
    assert.equal(fail.stdout, '');
    assert.match(fail.stderr, /^spacker: invalid value for '--parallelism': 9; [^\n]*\n$/);
  });
});
