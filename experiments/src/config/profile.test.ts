// Profiles: flink-conf/conf-local and conf-server load and resolve with the reference's values; an unknown
// profile lists the profiles found; a YAML error names the file and the line; a bad value names the file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listProfiles, loadProfile, parseProfileText } from './profile.ts';
import { resolveConfig } from './resolve.ts';
import { parseSetArgs } from './parse.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-profile-test-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function profile(name: string, text: string): void {
  mkdirSync(join(root, name), { recursive: true });
  writeFileSync(join(root, name, 'flink-conf.yaml'), text);
}

describe('config > profile', () => {
  it('finds conf-local and conf-server under flink-conf/', () => {
    assert.deepEqual(listProfiles(), ['conf-local', 'conf-server']);
  });

  it("conf-server: the reference's main profile (2.2), every key known to the schema", () => {
    const c = resolveConfig([loadProfile('conf-server')]);
    assert.equal(c.get('spector.reconfig.scenario'), 'static');
    assert.equal(c.get('spector.reconfig.affected_keys'), 1024);
    assert.equal(c.get('spector.reconfig.affected_tasks'), 8);
    assert.equal(c.get('spector.reconfig.sync_keys'), 2);
    assert.equal(c.get('spector.reconfig.order_function'), 'reverse');
    assert.deepEqual(c.get('spector.reconfig.start'), [10000]);
    assert.equal(c.get('spector.reconfig.interval'), 1000000);
    assert.equal(c.get('spector.reconfig.workload.zipf_skew'), 1);
    assert.equal(c.get('netty.state.transmission.enabled'), false);
    assert.equal(c.get('spector.netty.channel.count'), 4);
    assert.equal(c.get('taskmanager.numberOfTaskSlots'), 12);
    assert.equal(c.get('jobmanager.heap.size'), '16384m');
    assert.equal(c.get('spacker.task_managers'), 8);
    assert.equal(c.sourceOf('spacker.task_managers'), 'flink-conf/conf-server/flink-conf.yaml');
  });

  it('conf-local: static, 128 key groups over 2 tasks from 10 s in chunks of 8, 2 TaskManagers', () => {
    const c = resolveConfig([loadProfile('conf-local')]);
    assert.equal(c.get('spector.reconfig.affected_keys'), 128);
    assert.equal(c.get('spector.reconfig.affected_tasks'), 2);
    assert.equal(c.get('spector.reconfig.sync_keys'), 8);
    assert.equal(c.get('spector.reconfig.order_function'), 'default');
    assert.equal(c.get('policy.windowSize'), 100000000);
    assert.equal(c.get('netty.state.transmission.enabled'), true);
    assert.equal(c.get('spacker.task_managers'), 2);
  });

  it('layers: defaults <- profile <- experiment <- --set', () => {
    const c = resolveConfig([loadProfile('conf-local'), { source: 'experiment', values: { 'spector.reconfig.sync_keys': 4, 'spacker.runtime': 30 } }, parseSetArgs(['spacker.runtime=20'])]);
    assert.equal(c.get('spector.reconfig.sync_keys'), 4);
    assert.equal(c.get('spacker.runtime'), 20);
    assert.equal(c.get('spector.reconfig.affected_keys'), 128);
    assert.equal(c.get('spacker.parallelism'), 8, 'default');
  });

  it('an unknown profile lists the profiles found', () => {
    assert.throws(() => loadProfile('conf-cloud'), /'--profile': "conf-cloud"; allowed: one of the profiles under flink-conf: conf-local, conf-server/);
    profile('only', 'spacker.seed: 1\n');
    assert.throws(() => loadProfile('other', root), /"other"; allowed: one of the profiles under .*: only/);
    assert.throws(() => loadProfile('x', join(root, 'missing')), /none found/);
  });

  it('a YAML syntax error names the file and the line', () => {
    profile('broken', 'spacker.seed: 1\nspacker.runtime: [10,\nspector.reconfig.sync_keys: 2\n');
    assert.throws(() => loadProfile('broken', root), (err: Error) => {
      assert.match(err.message, /broken[/\\]flink-conf\.yaml.*YAML syntax error at line \d+, column \d+: /);
      return true;
    });
    assert.throws(() => parseProfileText('a: 1\n  b: 2\n', 'x.yaml'), /x\.yaml: YAML syntax error at line 1, column \d+/);
    assert.throws(() => parseProfileText('- a\n- b\n', 'list.yaml'), /list\.yaml: a flink-conf.yaml must be a map/);
    assert.deepEqual(parseProfileText('# only a comment\n', 'empty.yaml'), {});
  });

  it('a bad value or an unknown key in a profile names the file', () => {
    profile('bad-value', 'spacker.runtime: soon\n');
    assert.throws(() => resolveConfig([loadProfile('bad-value', root)]), /'spacker\.runtime' \(from .*bad-value[/\\]flink-conf\.yaml\): "soon"; allowed: an integer/);
    profile('bad-key', 'spector.reconfig.sync_key: 2\n');
    assert.throws(() => resolveConfig([loadProfile('bad-key', root)]), /unknown configuration key 'spector\.reconfig\.sync_key' \(from .*bad-key[/\\]flink-conf\.yaml\)/);
  });
});
