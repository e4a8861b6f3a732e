/**
 * The reference's percentile convention (its analysis scripts): p = sorted[floor(n * q)], clamped to the last
 * element; some of its scripts use ceil(n * q) instead. No interpolation.
 */
export function refPercentile(sorted: ArrayLike<number>, q: number, rounding: 'floor' | 'ceil' = 'floor'): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const i = rounding === 'floor' ? Math.floor(n * q) : Math.ceil(n * q);
  return sorted[Math.min(n - 1, Math.max(0, i))];
}
