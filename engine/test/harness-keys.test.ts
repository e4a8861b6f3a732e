// Issue 17: the engine names its own parameters (`affectedKeys`, `order`, option `bins` of 'meces'), never the
// harness's configuration keys (`spector.*`, `spacker.*`); the harness maps one to the other
// (experiments/src/config/engine-parameters.ts). Scans every non-test source file of engine/src; a failure
// lists each file:line that quotes a harness key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** A harness key anywhere on a line: quoted, inside a message, in a comment. */
const HARNESS_KEY = /\b(spector|spacker)\.[a-z_]+/;

function engineSources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...engineSources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** `file:line: text` of every line of `files` that quotes a harness key. */
function harnessKeysIn(files: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (HARNESS_KEY.test(line)) hits.push(`${relative(ROOT, file).split(sep).join('/')}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('engine > harness keys', () => {
  it('the pattern catches a quoted key and lets the engine name its own fields', () => {
    assert.ok(HARNESS_KEY.test(`throw new InvalidConfigError('spector.reconfig.affected_keys', n, 'an integer');`));
    assert.ok(HARNESS_KEY.test('/** `spacker.strategy`: the mechanism */'));
    assert.ok(HARNESS_KEY.test("`a job with spacker.parallelism=2`"));
    assert.ok(!HARNESS_KEY.test(`throw new InvalidParameterError('affectedKeys', n, 'an integer');`));
    assert.ok(!HARNESS_KEY.test(`const spec = mechanismNamed('spacker');`));
  });

  it('no engine source file names a configuration key of the harness', () => {
    const files = engineSources(join(ROOT, 'engine/src'));
    assert.ok(files.length > 50, `found only ${files.length} engine source files`);
    const hits = harnessKeysIn(files);
    assert.deepEqual(hits, [], `engine sources naming harness configuration keys (name the engine's parameter instead):\n${hits.join('\n')}`);
  });
});
