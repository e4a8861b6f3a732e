/**
 * Megaphone's migration patterns (Hoffmann et al., VLDB 2019), as pure functions: which bins move, and in
 * which steps. Fluid: one bin per step, in bin order. Batched: each step a maximum bipartite matching of
 * (source subtask, destination subtask) pairs that still have bins to move, one bin per matched pair, so that
 * every subtask sends at most one bin and receives at most one bin per step. Imports core/ and routing/ only.
 */
import type { BinLayout } from '../../core/bins.ts';
import type { Assignment } from '../../core/assignment.ts';

export interface BinMove {
  readonly bin: number;
  readonly keyGroup: number;
  readonly from: number;
  readonly to: number;
}

/** Every bin whose owner differs between `current` and `target`, ascending by bin. */
export function binMoves(current: Assignment, target: Assignment, layout: BinLayout): BinMove[] {
  const out: BinMove[] = [];
  for (let bin = 0; bin < layout.bins; bin++) {
    const kg = layout.keyGroupOfBin(bin);
    const from = current.ownerOf(kg);
    const to = target.ownerOf(kg);
    if (from !== to) out.push({ bin, keyGroup: kg, from, to });
  }
  return out;
}

/** One bin per step. */
export function fluidSteps(moves: readonly BinMove[]): BinMove[][] {
  return moves.map((m) => [m]);
}

/**
 * Steps of a maximum matching each. Pairs whose bins are all moved leave the graph before the next matching
 * (Megaphone's script removes them lazily, which can make a step smaller than a maximum matching).
 */
export function batchedSteps(moves: readonly BinMove[]): BinMove[][] {
  const byPair = new Map<string, BinMove[]>();
  for (const m of moves) {
    const key = `${m.from}>${m.to}`;
    const list = byPair.get(key);
    if (list === undefined) byPair.set(key, [m]);
    else list.push(m);
  }
  const steps: BinMove[][] = [];
  while (byPair.size > 0) {
    const edges = new Map<number, number[]>();
    for (const key of byPair.keys()) {
      const [from, to] = key.split('>').map(Number);
      const list = edges.get(from);
      if (list === undefined) edges.set(from, [to]);
      else list.push(to);
    }
    const step: BinMove[] = [];
    for (const [from, to] of maximumMatching(edges)) {
      const key = `${from}>${to}`;
      const list = byPair.get(key) as BinMove[];
      step.push(list.shift() as BinMove);
      if (list.length === 0) byPair.delete(key);
    }
    steps.push(step.sort((a, b) => a.bin - b.bin));
  }
  return steps;
}

/**
 * A maximum matching of a bipartite graph (left -> right neighbours), by Hopcroft and Karp: breadth-first
 * layers from the free left vertices, then vertex-disjoint shortest augmenting paths along them, until none.
 * Returns the matched pairs [left, right], ascending by left.
 */
export function maximumMatching(edges: ReadonlyMap<number, readonly number[]>): [number, number][] {
  const lefts = [...edges.keys()].sort((a, b) => a - b);
  const matchL = new Map<number, number>();
  const matchR = new Map<number, number>();
  let dist = new Map<number, number>();
  const bfs = (): boolean => {
    dist = new Map();
    const queue: number[] = [];
    for (const u of lefts) if (!matchL.has(u)) {
      dist.set(u, 0);
      queue.push(u);
    }
    let found = false;
    for (let i = 0; i < queue.length; i++) {
      const u = queue[i];
      for (const v of edges.get(u) ?? []) {
        const w = matchR.get(v);
        if (w === undefined) found = true;
        else if (!dist.has(w)) {
          dist.set(w, (dist.get(u) as number) + 1);
          queue.push(w);
        }
      }
    }
    return found;
  };
  const dfs = (u: number): boolean => {
    for (const v of edges.get(u) ?? []) {
      const w = matchR.get(v);
      if (w === undefined || (dist.get(w) === (dist.get(u) as number) + 1 && dfs(w))) {
        matchL.set(u, v);
        matchR.set(v, u);
        return true;
      }
    }
    dist.delete(u);
    return false;
  };
  while (bfs()) for (const u of lefts) if (!matchL.has(u)) dfs(u);
  return lefts.filter((u) => matchL.has(u)).map((u) => [u, matchL.get(u) as number]);
}
