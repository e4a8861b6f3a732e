/**
 * Batching (progressiveness), reference 1.4: cut each source subtask's ordered key groups into chunks of
 * `syncKeys`, then merge chunk i of every source subtask into global chunk i. Pure; imports only errors.
 */
import type { KeyGroupId } from '../core/key-group.ts';
import { InvalidParameterError } from '../errors.ts';

function checkSyncKeys(syncKeys: number): void {
  if (!Number.isInteger(syncKeys) || syncKeys < 0) {
    throw new InvalidParameterError('syncKeys', syncKeys, 'an integer >= 0 (0 = all at once)');
  }
}

/**
 * Cuts `ordered` into consecutive chunks of `syncKeys` key groups (the last may be shorter), keeping the order.
 * `syncKeys` 0 means all at once: a single chunk with everything. An empty input gives no chunks.
 *
 * @throws InvalidParameterError (field `syncKeys`) if `syncKeys` is negative or not an integer.
 */
export function batch(ordered: readonly KeyGroupId[], syncKeys: number): KeyGroupId[][] {
  checkSyncKeys(syncKeys);
  if (ordered.length === 0) return [];
  if (syncKeys === 0) return [ordered.slice()];
  const chunks: KeyGroupId[][] = [];
  for (let i = 0; i < ordered.length; i += syncKeys) chunks.push(ordered.slice(i, i + syncKeys));
  return chunks;
}

/**
 * Merges per-source chunk lists into the plan's chunk list: global chunk i is the concatenation of chunk i
 * of every source subtask, in the order of `perSource` (ascending source subtask). The number of global
 * chunks is the largest number of chunks of any source; sources with fewer chunks simply stop contributing.
 */
export function merge(perSource: readonly (readonly (readonly KeyGroupId[])[])[]): KeyGroupId[][] {
  const count = perSource.reduce((max, chunks) => Math.max(max, chunks.length), 0);
  const merged: KeyGroupId[][] = [];
  for (let i = 0; i < count; i++) {
    const chunk: KeyGroupId[] = [];
    for (const chunks of perSource) {
      if (i < chunks.length) chunk.push(...chunks[i]);
    }
    merged.push(chunk);
  }
  return merged;
}

/**
 * Number of global chunks a plan will have: max over sources of ceil(n / syncKeys), or 1 if `syncKeys` is 0
 * and anything migrates. Handy for sizing progress bars before planning.
 */
export function chunkCount(migratingPerSource: readonly number[], syncKeys: number): number {
  checkSyncKeys(syncKeys);
  let max = 0;
  for (const n of migratingPerSource) {
    if (n === 0) continue;
    max = Math.max(max, syncKeys === 0 ? 1 : Math.ceil(n / syncKeys));
  }
  return max;
}
