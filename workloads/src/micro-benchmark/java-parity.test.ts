// The Flink job (workloads/flink) must emit what the embedded micro-benchmark emits: this test writes the first
// 1000 records of two source subtasks for seed 42 into workloads/flink/src/test/resources/micro-keys-seed42.csv
// (when the file is missing or SPACKER_UPDATE_FIXTURES=1) and otherwise checks that the TypeScript source still
// produces it. The Java side's MicroKeysParityTest compares its generator with the same file.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RateProfile, keyGroupOf } from '../../../engine/src/index.ts';
import { groupKeysByKeyGroup } from './key-space.ts';
import { MicroSource } from './micro-source.ts';

const FIXTURE = fileURLToPath(new URL('../../flink/src/test/resources/micro-keys-seed42.csv', import.meta.url));

/** The configuration the fixture is for; MicroKeysParityTest.java passes the same keys. */
export const PARITY = {
  seed: 42,
  nKeys: 1024,
  maxParallelism: 128,
  zipfSkew: 0.8,
  stateAccessRatio: 10,
  perTaskRate: 250,
  parallelism: 2,
  sourceParallelism: 2,
  records: 1000,
};

/** The fixture's text: `subtask,index,offset_ms,key,key_group,access` per record, as the engine would emit. */
export function parityCsv(): string {
  const p = PARITY;
  const keys = groupKeysByKeyGroup(p.nKeys, p.maxParallelism);
  const lines = ['subtask,index,offset_ms,key,key_group,access'];
  for (let subtask = 0; subtask < p.sourceParallelism; subtask++) {
    // As buildMicroBenchmark and the engine's SourceTask derive a subtask's seeds and schedule.
    const source = new MicroSource(keys, {
      seed: p.seed + subtask,
      accessSeed: 123456789 + subtask,
      zipfSkew: p.zipfSkew,
      skewFromMs: 0,
      accessKeyGroups: Math.round((p.maxParallelism * p.stateAccessRatio) / 100),
    });
    const profile = RateProfile.constant(p.perTaskRate * p.parallelism).forSubtask(subtask, p.sourceParallelism);
    for (let i = 0; i < p.records; i++) {
      const offsetMs = profile.timeOf(i);
      source.emit(i, offsetMs, {
        collect(access: boolean, key?: string | number) {
          const k = String(key);
          lines.push(`${subtask},${i},${offsetMs.toFixed(3)},${k},${keyGroupOf(k, p.maxParallelism)},${access ? 1 : 0}`);
        },
      });
    }
  }
  return lines.join('\n') + '\n';
}

it('the Java parity fixture matches what the TypeScript micro-benchmark source emits', () => {
  const text = parityCsv();
  if (process.env.SPACKER_UPDATE_FIXTURES === '1' || !existsSync(FIXTURE)) writeFileSync(FIXTURE, text);
  assert.equal(readFileSync(FIXTURE, 'utf8'), text);
  // The fixture exercises the access set (redrawn each second) and the zipf skew.
  const rows = text.trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(rows.length, PARITY.records * PARITY.sourceParallelism);
  assert.ok(rows.some((r) => r[5] === '1') && rows.some((r) => r[5] === '0'));
});
