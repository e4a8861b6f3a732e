/**
 * DRRS's adaptive pull order inside a subscale (the artifact's AdaptiveSelector): which key group the new
 * owner asks its old owner for next, one at a time. A pure function of what waits at the new owner. Imports
 * nothing.
 */

/** A key group of a subscale whose state has not been asked for yet. */
export interface PullCandidate {
  readonly keyGroup: number;
  /** Bytes of its state at the old owner (the cost of moving it). */
  readonly stateBytes: number;
  /** Records of it buffered at the new owner, waiting for its state. */
  readonly waitingRecords: number;
  /** Average time those records have waited, ms (0 when none waits). */
  readonly waitingMs: number;
}

/** Buffer fill (waiting records / buffer_records) from which the order turns to resuming fastest (artifact: 0.9). */
export const EMERGENCY_RATIO = 0.9;
/** Weight of fairness (waiting time) against efficiency (waiting records per byte) in the score (artifact: 0.5). */
export const FAIRNESS_WEIGHT = 0.5;
/** Below this range the values of a min-max normalization count as equal (all 1), as in the artifact. */
const EPSILON = 1e-10;

/**
 * The key group to pull next (-1 when there is none):
 * - nothing waits for any candidate, or the buffer is at least `emergencyRatio` full: the smallest state
 *   (cheapest to move: frees the buffer soonest);
 * - otherwise the highest score w x norm(waiting time) + (1 - w) x norm(waiting records / state bytes), each
 *   normalized min-max over the candidates (all 1 when they are equal).
 * Ties go to the lowest key group (the artifact takes its hash set's first).
 */
export function nextPull(candidates: readonly PullCandidate[], bufferFill: number, emergencyRatio = EMERGENCY_RATIO, fairnessWeight = FAIRNESS_WEIGHT): number {
  if (candidates.length === 0) return -1;
  const anyWaits = candidates.some((c) => c.waitingRecords > 0);
  if (!anyWaits || bufferFill >= emergencyRatio) return smallestState(candidates);
  const waiting = normalized(candidates.map((c) => c.waitingMs));
  // A key group without state costs nothing to move: it counts as one byte.
  const efficiency = normalized(candidates.map((c) => c.waitingRecords / Math.max(c.stateBytes, 1)));
  let best = -1;
  let bestScore = -Infinity;
  candidates.forEach((c, i) => {
    const score = fairnessWeight * waiting[i] + (1 - fairnessWeight) * efficiency[i];
    if (score > bestScore || (score === bestScore && c.keyGroup < best)) {
      bestScore = score;
      best = c.keyGroup;
    }
  });
  return best;
}

function smallestState(candidates: readonly PullCandidate[]): number {
  let best = candidates[0];
  for (const c of candidates) if (c.stateBytes < best.stateBytes || (c.stateBytes === best.stateBytes && c.keyGroup < best.keyGroup)) best = c;
  return best.keyGroup;
}

/** Min-max normalization to [0, 1]; all 1 when the values are (nearly) equal. */
export function normalized(values: readonly number[]): number[] {
  const min = Math.min(...values);
  const range = Math.max(...values) - min;
  return range < EPSILON ? values.map(() => 1) : values.map((v) => (v - min) / range);
}
