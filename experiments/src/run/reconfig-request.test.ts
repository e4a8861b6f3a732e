import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Assignment } from '../../../engine/src/index.ts';
import { judgeRequest, type JobFacts } from './reconfig-request.ts';

const current = Assignment.fromMap([[0, 1, 2, 3], [4, 5, 6, 7]], 8, 2);
const job: JobFacts = {
  current,
  maxParallelism: 8,
  parallelism: 2,
  context: { maxParallelism: 8, parallelism: 2, affectedKeys: 4, affectedTasks: 2, zipfSkew: 0, seed: 12345678 },
  strategy: { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: 1 },
  mechanism: 'spacker',
};
const reason = (req: unknown, facts: JobFacts = job): string => {
  const v = judgeRequest(req, facts, 'req-1');
  assert.equal(v.ok, false, JSON.stringify(req));
  return v.ok ? '' : v.reason;
};

describe('run > reconfiguration requests', () => {
  it('accepts a target assignment, with strategy fields applied', () => {
    const v = judgeRequest({ target: { assignment: { 0: [0, 1, 2, 3, 4], 1: [5, 6, 7] } }, strategy: { syncKeys: 1, order: 'reverse' } }, job, 'req-1');
    assert.ok(v.ok);
    assert.deepEqual(v.target.toMap(), [[0, 1, 2, 3, 4], [5, 6, 7]]);
    assert.equal(v.strategy.syncKeys, 1);
    assert.equal(v.strategy.order, 'reverse');
  });

  it('accepts a scenario: its first phase from the current assignment', () => {
    const v = judgeRequest({ scenario: 'shuffle' }, job, 'req-2');
    assert.ok(v.ok);
    const moved = v.target.toMap().reduce((n, kgs, s) => n + kgs.filter((kg) => current.ownerOf(kg) !== s).length, 0);
    assert.equal(moved, 4);
  });

  it('refuses invalid requests with a reason', () => {
    assert.match(reason('nope'), /not a JSON object/);
    assert.match(reason({}), /exactly one of "target".*"scenario"/);
    assert.match(reason({ target: [[0]], scenario: 'shuffle' }), /exactly one of/);
    assert.match(reason({ scenario: 'teleport' }), /unknown scenario "teleport"; allowed: shuffle, /);
    assert.match(reason({ target: { assignment: { 0: [0, 1, 2, 3], 1: [4, 5, 6, 99] } } }), /request req-1/);
    assert.match(reason({ target: { assignment: { 0: [0, 1, 2, 3], 1: [4, 5, 6, 7] } } }), /equals the current assignment/);
    assert.match(reason({ scenario: 'shuffle', strategy: { order: 'up' } }), /strategy.order "up"; allowed: default, reverse/);
    assert.match(reason({ scenario: 'shuffle', strategy: { syncKeys: -1 } }), /strategy.syncKeys -1; allowed: a whole number >= 0/);
    assert.match(reason({ scenario: 'shuffle', strategy: { speed: 1 } }), /unknown strategy field 'speed'/);
    assert.match(reason({ scenario: 'shuffle' }, { ...job, busy: 'a migration is in progress (chunk 2 of 5)' }), /chunk 2 of 5/);
    assert.match(reason({ scenario: 'shuffle', mechanism: 'teleport' }), /unknown mechanism "teleport"; allowed: spacker, restart/);
  });

  it('takes the mechanism a request names, else the job\'s', () => {
    const named = judgeRequest({ scenario: 'shuffle', mechanism: 'restart' }, job, 'req-1');
    assert.ok(named.ok && named.mechanism === 'restart');
    const plain = judgeRequest({ scenario: 'shuffle' }, job, 'req-1');
    assert.ok(plain.ok && plain.mechanism === 'spacker');
  });
});
