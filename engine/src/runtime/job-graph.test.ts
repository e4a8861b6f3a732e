// runtime > job-graph: a keyed operator's initial assignment (the key groups each subtask holds at the start)
// is the job's first assignment; one that does not cover the operator's key groups over its subtasks is refused
// naming the operator's field and what is allowed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Assignment } from '../core/assignment.ts';
import { ManualClock } from '../core/clock.ts';
import { RateProfile } from '../core/rate-profile.ts';
import { rescale } from '../planner/scenarios/mapping.ts';
import { JobGraph } from './job-graph.ts';
import { Job } from './job.ts';
import type { KeyedFunction, SourceFunction } from './task.ts';

const source: SourceFunction<number> = { emit: (i, _t, out) => out.collect(i, i) };
const noop = (): KeyedFunction<unknown, unknown> => ({ processElement: () => undefined });

function graph(initialAssignment?: Assignment): JobGraph {
  return new JobGraph()
    .source('src', { parallelism: 1, profile: RateProfile.constant(100), count: 10, create: () => source })
    .keyed('op', { parallelism: 4, maxParallelism: 16, inputs: [{ from: 'src' }], create: noop, initialAssignment });
}

describe('runtime > job-graph > initialAssignment', () => {
  it("is the job's first assignment (here Flink's ranges over 2 of 4 subtasks); absent, Flink's ranges over all 4", () => {
    const initial = rescale(16, 4, 2);
    assert.deepEqual([...new Job(graph(initial), { clock: new ManualClock() }).assignment('op').table()], [...initial.table()]);
    assert.deepEqual([...new Job(graph(), { clock: new ManualClock() }).assignment('op').table()], [...Assignment.initial(16, 4).table()]);
    const job = new Job(graph(initial), { clock: new ManualClock() });
    assert.deepEqual(job.keyedTasks('op').map((t) => t.state.ownedKeyGroups().length), [8, 8, 0, 0]);
  });

  it('of other key groups or subtasks than the operator: refused naming op.initialAssignment', () => {
    assert.throws(() => graph(Assignment.initial(32, 4)), /op\.initialAssignment.*32 key groups over 4 subtasks.*16 key groups over 4 subtasks/);
    assert.throws(() => graph(Assignment.initial(16, 2)), /op\.initialAssignment.*16 key groups over 2 subtasks/);
  });
});
