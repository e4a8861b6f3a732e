// parseTargetAssignment: both accepted shapes, and one test per error message (each names the file).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidPlanError } from '../../errors.ts';
import { parseTargetAssignment } from './target-file.ts';

const FILE = 'targets/swap.json';
const parse = (json: unknown) => parseTargetAssignment(json, 8, 4, FILE);

function rejects(json: unknown, message: string): void {
  assert.throws(() => parse(json), (e: unknown) => e instanceof InvalidPlanError && e.message === `${FILE}: ${message}`);
}

describe('planner > scenarios > target file', () => {
  it('accepts {"assignment": {...}}, keeping list order; subtasks left out hold nothing', () => {
    const json = JSON.parse('{"assignment": {"0": [1, 0], "2": [7, 6, 5, 4, 3, 2]}}') as unknown;
    assert.deepEqual(parse(json).lists(), [[1, 0], [], [7, 6, 5, 4, 3, 2], []]);
    assert.deepEqual(parse(json).toMap(), [[0, 1], [], [2, 3, 4, 5, 6, 7], []]);
  });

  it('accepts an array of arrays; missing trailing subtasks hold nothing', () => {
    assert.deepEqual(parse([[0, 1, 2], [3, 4, 5], [6, 7]]).lists(), [[0, 1, 2], [3, 4, 5], [6, 7], []]);
  });

  it('does not modify the parsed JSON', () => {
    const json = Object.freeze({ assignment: Object.freeze({ '1': Object.freeze([0, 1, 2, 3, 4, 5, 6, 7]) }) });
    assert.deepEqual(parse(json).lists(), [[], [0, 1, 2, 3, 4, 5, 6, 7], [], []]);
  });

  it('rejects another shape', () => {
    rejects({ owners: [] }, 'a target assignment must be {"assignment": {"<subtask>": [key groups]}} or an array of key-group arrays, got an object');
    rejects('0,1,2', 'a target assignment must be {"assignment": {"<subtask>": [key groups]}} or an array of key-group arrays, got "0,1,2"');
  });

  it('rejects an "assignment" that is not an object', () => {
    rejects({ assignment: [[0, 1]] }, '"assignment" must be an object from subtask to key groups, got an array');
  });

  it('rejects a subtask that does not exist', () => {
    rejects({ assignment: { '4': [0] } }, 'subtask "4" does not exist; subtasks are 0..3');
    rejects({ assignment: { first: [0] } }, 'subtask "first" does not exist; subtasks are 0..3');
    rejects([[0], [1], [2], [3], [4, 5, 6, 7]], 'subtask "4" does not exist; subtasks are 0..3');
  });

  it('rejects a subtask whose key groups are not an array', () => {
    rejects({ assignment: { '1': 3 } }, 'subtask 1: expected an array of key groups, got 3');
  });

  it('rejects a non-integer entry', () => {
    rejects([[0, 1, 2, 3], [4, '5', 6, 7]], 'subtask 1: entry 1 is "5", not an integer key group');
    rejects([[0, 1, 2, 3], [4, 5.5, 6, 7]], 'subtask 1: entry 1 is 5.5, not an integer key group');
  });

  it('rejects a key group out of range', () => {
    rejects([[0, 1, 2, 3], [4, 5, 6, 8]], 'subtask 1: key group 8 is not in 0..7');
  });

  it('rejects a repeated key group', () => {
    rejects([[0, 1, 2, 3], [4, 5, 6, 7, 2]], 'key group 2 is assigned to subtasks 0 and 1');
    rejects([[0, 1, 2, 3, 3], [4, 5, 6, 7]], 'key group 3 is assigned twice to subtask 0');
  });

  it('rejects a missing key group', () => {
    rejects([[0, 1, 2, 3], [4, 6]], '2 key group(s) not assigned to any subtask: 5, 7');
  });
});
