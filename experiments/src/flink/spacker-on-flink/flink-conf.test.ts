// The rendered flink-conf.yaml of a Spacker-on-Flink run: exact text for a profile and a few keys, the shipped
// profiles keeping their lines, and values Flink 1.8 would read differently refused by key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import { parseSetArgs } from '../../config/parse.ts';
import { loadProfile, parseProfileText, PROFILES_ROOT } from '../../config/profile.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { confEntries, parseFlink18Conf, profileKeys, renderFlinkConf, renderSlaves } from './flink-conf.ts';

const PROFILE = `# a profile
spector.reconfig.scenario: static
spector.reconfig.sync_keys: 8
controller.target.operators: Splitter FlatMap

# Flink
jobmanager.rpc.port: 6123
akka.ask.timeout: 100s

# Ours: two TaskManagers
spacker.task_managers: 2
`;

function render(profile: string, sets: string[], expDir = '/r/run.tmp-1/spector'): string {
  const config = resolveConfig([{ source: 'p', values: parseProfileText(profile, 'p') }, parseSetArgs(sets)]);
  return renderFlinkConf(profile, confEntries(config, profileKeys(profile), expDir), 'p');
}

describe('flink > spacker-on-flink > flink-conf', () => {
  it('sets values in place, drops spacker.* lines, appends the per-run keys after one comment', () => {
    const text = render(PROFILE, ['spector.reconfig.sync_keys=4', 'spector.reconfig.start=20000,30000', 'rest.port=18081', 'spacker.parallelism=4', 'spector.reconfig.affected_tasks=4']);
    assert.equal(
      text,
      `# a profile
spector.reconfig.scenario: static
spector.reconfig.sync_keys: 4
controller.target.operators: Splitter FlatMap

# Flink
jobmanager.rpc.port: 6123
akka.ask.timeout: 100s

# Set per run by spacker-ts (what the reference's configFlink substitutes), spector.exp.dir into the run folder
spector.reconfig.order_function: default
spector.replicate_keys_filter: 0
spector.reconfig.affected_keys: 512
spector.reconfig.affected_tasks: 4
spector.reconfig.start: 20000,30000
spector.reconfig.interval: 1000000
spector.reconfig.workload.zipf_skew: 1
snapshot.changelog.enabled: true
policy.windowSize: 1000000000
state.backend.async: false
rest.port: 18081
spector.exp.dir: /r/run.tmp-1/spector
`,
    );
  });

  it('what it writes is what Flink 1.8 reads, for both shipped profiles', () => {
    for (const name of ['conf-local', 'conf-server']) {
      const profile = readFileSync(`${PROFILES_ROOT}/${name}/flink-conf.yaml`, 'utf8');
      const config = resolveConfig([loadProfile(name), parseSetArgs(['spector.reconfig.sync_keys=16', 'spector.reconfig.order_function=random'])]);
      const entries = confEntries(config, profileKeys(profile), '/tmp/a run/spector');
      const read = parseFlink18Conf(renderFlinkConf(profile, entries, name));
      for (const e of entries) assert.equal(read.get(e.key), e.value, `${name}: ${e.key}`);
      assert.equal(read.get('controller.target.operators'), 'Splitter FlatMap');
      assert.equal(read.get('spector.reconfig.sync_keys'), '16');
      assert.equal(read.get('spector.exp.dir'), '/tmp/a run/spector');
      // The profile's other lines are kept; our own keys are not Flink's.
      assert.equal(read.get('akka.framesize'), '1073741824b');
      assert.equal(read.get('taskmanager.network.credit-model'), 'false');
      assert.equal([...read.keys()].filter((k) => k.startsWith('spacker.')).length, 0);
    }
  });

  it("refuses, naming the key, a value Flink 1.8 would cut at '#' or read with YAML's quotes", () => {
    assert.throws(() => render(PROFILE, ['controller.target.operators=Splitter#1']), (e: unknown) => e instanceof InvalidConfigError && e.key === 'controller.target.operators' && /would read "Splitter"/.test(e.message));
    assert.throws(() => render(PROFILE, ['controller.target.operators=a: b']), (e: unknown) => e instanceof InvalidConfigError && e.key === 'controller.target.operators' && /would read "\\"a: b\\""/.test(e.message));
    assert.throws(() => render(PROFILE, [], '/tmp/run #1/spector'), (e: unknown) => e instanceof InvalidConfigError && e.key === 'spector.exp.dir');
  });

  it('reads flink-conf.yaml as Flink 1.8 does: # comments, the first ": ", the last line wins, quotes kept', () => {
    const read = parseFlink18Conf('a: 1 # one\n  b :  x: y\n# c: 3\nd:nospace\ne: "q"\na: 2\nempty: \n');
    assert.deepEqual([...read.entries()], [['a', '2'], ['b', 'x: y'], ['e', '"q"']]);
  });

  it('writes the slaves file for spacker.task_managers', () => {
    assert.equal(renderSlaves(3), 'localhost\nlocalhost\nlocalhost\n');
  });
});
