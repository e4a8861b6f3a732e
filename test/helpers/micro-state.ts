/**
 * The exact-state check of the integration tests: the stateful map's final state in a job, and what it must be
 * (every key's payload written by its last access record, in generation order, per the workload's records).
 */
import assert from 'node:assert/strict';
import type { Job, JobGraph } from '../../engine/src/index.ts';
import { generatedSource, workloadRecords } from '../../experiments/src/io/kafka/workload-records.ts';
import { STATE_NAME, writePayload } from '../../workloads/src/micro-benchmark/stateful-map.ts';

export function finalState(job: Job, operator: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const task of job.keyedTasks(operator)) {
    for (const kg of task.state.ownedKeyGroups()) {
      for (const [key, entry] of task.state.entries(kg, STATE_NAME)) out.set(String(key), (entry as Map<string, Buffer>).get(String(key)) as Buffer);
    }
  }
  return out;
}

/** Asserts that `job`'s state is what the records of `graph` (the same workload, generated) leave behind. */
export function assertExactState(job: Job, operator: string, graph: JobGraph, perKeySize: number): number {
  const last = new Map<string, number>();
  for (const r of workloadRecords(generatedSource(graph))) if (r.value === true) last.set(String(r.key), r.seq);
  const state = finalState(job, operator);
  assert.equal(state.size, last.size, 'as many keys in state as keys written');
  for (const [key, seq] of last) {
    const expected = Buffer.alloc(perKeySize);
    writePayload(expected, seq);
    const got = state.get(key);
    assert.ok(got !== undefined, `key ${key} has state`);
    assert.ok(expected.equals(got), `key ${key}: payload of its last write (seq ${seq})`);
  }
  return last.size;
}
