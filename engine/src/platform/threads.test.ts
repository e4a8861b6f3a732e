// platform > threads: every thread of the process but the main one goes to the lowest priority; the main
// thread, which runs every task, keeps its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HELPER_NICE, lowerHelperThreads } from './threads.ts';

const linux = existsSync('/proc/self/task');

describe('platform > threads', () => {
  it('lowers a worker thread to nice 19 and leaves the main thread alone', { skip: linux ? false : 'needs /proc (Linux)' }, async () => {
    const mainBefore = getPriority(process.pid);
    // A worker that reports its thread id and waits to be told to end.
    const w = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage(Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()));
       parentPort.once('message', () => process.exit(0));`,
      { eval: true },
    );
    try {
      const tid = await new Promise<number>((resolve) => w.once('message', resolve));
      assert.ok(lowerHelperThreads() >= 0);
      assert.equal(getPriority(tid), HELPER_NICE, 'the worker thread yields');
      assert.equal(getPriority(process.pid), mainBefore, 'the main thread keeps its priority');
      assert.equal(lowerHelperThreads(), 0, 'nothing left to lower');
    } finally {
      w.postMessage('end');
      await new Promise((resolve) => w.once('exit', resolve));
    }
  });
});
