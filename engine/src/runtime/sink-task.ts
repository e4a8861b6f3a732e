/**
 * A sink subtask: takes what reaches it and counts it (and, for tests, can keep it). It passes barriers
 * through (nothing downstream) and ends when all its inputs have ended.
 */
import { isBatch, type Channel } from '../routing/channel.ts';
import type { Task } from './task.ts';

/** Records a sink step takes at most. */
const MAX_RECORDS_PER_STEP = 8192;

export class SinkTask<V> implements Task {
  readonly label: string;
  done = false;
  received = 0;
  private endedCount = 0;

  constructor(
    readonly name: string,
    readonly subtask: number,
    private readonly inputs: readonly Channel<V>[],
    /** Called with every record's value and key, in arrival order per channel. */
    private readonly consume: ((value: V, key: unknown) => void) | undefined,
  ) {
    this.label = `${name}-${subtask}`;
  }

  nextDueMs(): number {
    return Infinity;
  }

  step(): boolean {
    if (this.done) return false;
    let worked = false;
    let budget = MAX_RECORDS_PER_STEP;
    for (const ch of this.inputs) {
      let item = ch.peek();
      while (item !== undefined && budget > 0) {
        worked = true;
        ch.shift();
        if (isBatch(item)) {
          if (this.consume !== undefined) for (let i = 0; i < item.size; i++) this.consume(item.value[i], item.key[i]);
          this.received += item.size;
          budget -= item.size;
          ch.release(item.size);
          ch.recycle(item);
        } else if (item.kind === 'end') {
          this.endedCount++;
        }
        item = ch.peek();
      }
    }
    if (this.endedCount === this.inputs.length) this.done = true;
    return worked;
  }
}
