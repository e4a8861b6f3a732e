/**
 * DRRS's subscales (the artifact's controller, evalution/controller/subscale): the moves of a migration grouped
 * per (source, target) pair and cut into subscales of about the same size, and the greedy choice of the next
 * subscale to trigger so that no subtask takes part in more than a few at once. Pure functions. Imports nothing.
 */

/** One key group's move. */
export interface KeyGroupMove {
  readonly keyGroup: number;
  readonly from: number;
  readonly to: number;
}

/** Key groups moving together from one subtask to another (one trigger, one state channel). */
export interface Subscale {
  readonly seq: number;
  readonly from: number;
  readonly to: number;
  readonly keyGroups: readonly number[];
}

/**
 * Key groups per subscale: max(minSize, floor(average / 2)), where average is the mean number of moving key
 * groups per (source, target) pair (the artifact's fixed_subscale_key_num).
 */
export function subscaleSize(pairSizes: readonly number[], minSize: number): number {
  if (pairSizes.length === 0) return minSize;
  const average = pairSizes.reduce((a, b) => a + b, 0) / pairSizes.length;
  return Math.max(minSize, Math.floor(average / 2));
}

/**
 * The subscales of `moves`: per (source, target) pair, in the order pairs first appear among the moves sorted
 * by key group, its key groups (ascending) cut into max(1, floor(n / size)) subscales whose sizes differ by at
 * most one, the smaller first (so that no subscale is left with a single key group).
 */
export function planSubscales(moves: readonly KeyGroupMove[], minSize: number): Subscale[] {
  if (!Number.isInteger(minSize) || minSize < 1) throw new RangeError(`subscale minimum size ${minSize}: a whole number >= 1 expected`);
  const pairs = new Map<string, { from: number; to: number; keyGroups: number[] }>();
  for (const m of [...moves].sort((a, b) => a.keyGroup - b.keyGroup)) {
    if (m.from === m.to) continue;
    const id = `${m.from}->${m.to}`;
    let p = pairs.get(id);
    if (p === undefined) pairs.set(id, (p = { from: m.from, to: m.to, keyGroups: [] }));
    p.keyGroups.push(m.keyGroup);
  }
  const size = subscaleSize([...pairs.values()].map((p) => p.keyGroups.length), minSize);
  const out: Subscale[] = [];
  for (const p of pairs.values()) {
    const n = p.keyGroups.length;
    const groups = Math.max(1, Math.floor(n / size));
    const base = Math.floor(n / groups);
    const larger = n % groups;
    let at = 0;
    for (let g = 0; g < groups; g++) {
      const len = base + (g >= groups - larger ? 1 : 0);
      out.push({ seq: out.length, from: p.from, to: p.to, keyGroups: p.keyGroups.slice(at, at + len) });
      at += len;
    }
  }
  return out;
}

/**
 * The next subscale to trigger among `pending` (index into it, -1: none now), the artifact's MinHoldScheduler:
 * subtasks taking part (as source or target) in `maxConcurrent` subscales in progress are busy; if at most one
 * subtask is free nothing starts; otherwise the free subtasks are visited by fewest key groups held
 * (`keyGroupsHeld`, counting the subscales triggered so far), and the first that has a pending pair with a
 * free partner starts that pair's first pending subscale, the pair with most pending subscales first.
 */
export function pickSubscale(pending: readonly Subscale[], ongoing: ArrayLike<number>, keyGroupsHeld: ArrayLike<number>, maxConcurrent: number): number {
  const n = ongoing.length;
  const free = new Set<number>();
  for (let s = 0; s < n; s++) if (ongoing[s] < maxConcurrent) free.add(s);
  if (free.size <= 1) return -1;
  const byLoad = [...free].sort((a, b) => keyGroupsHeld[a] - keyGroupsHeld[b] || a - b);
  for (const s of byLoad) {
    if (!free.has(s)) continue;
    free.delete(s);
    // Pending subscales per pair that involves s and a free partner, in order of first appearance.
    const count = new Map<string, { n: number; first: number }>();
    pending.forEach((p, i) => {
      if (p.from !== s && p.to !== s) return;
      if (!free.has(p.from === s ? p.to : p.from)) return;
      const id = `${p.from}->${p.to}`;
      const c = count.get(id);
      if (c === undefined) count.set(id, { n: 1, first: i });
      else c.n++;
    });
    let best: { n: number; first: number } | undefined;
    for (const c of count.values()) if (best === undefined || c.n > best.n) best = c;
    if (best !== undefined) return best.first;
  }
  return -1;
}
