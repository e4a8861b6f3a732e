/**
 * Finds the known configuration keys closest to a mistyped one (edit distance, same last word, same prefix)
 * and words the hint of an unknown-key error. Pure; imports only the schema.
 */
import { CONFIG_KEYS, type ConfigKey } from './schema.ts';

/** Where the full list of keys is printed; named in every unknown-key message. */
export const LIST_COMMAND = 'spacker config --list';

/** The most suggestions an unknown-key message names. */
const MAX_SUGGESTIONS = 5;

/**
 * Up to five known keys close to `key`, closest first: keys within a small edit distance (a typo) or whose last
 * word is the same ("parallelism" finds "spacker.parallelism"); only when there are none, keys under the same
 * prefix ("spacker.workload.x" lists spacker.workload.* keys).
 */
export function closestKeys(key: string, candidates: readonly ConfigKey[] = CONFIG_KEYS): ConfigKey[] {
  const wanted = key.trim().toLowerCase();
  if (wanted === '') return [];
  const lastWord = wanted.slice(wanted.lastIndexOf('.') + 1);
  const prefix = wanted.includes('.') ? wanted.slice(0, wanted.lastIndexOf('.') + 1) : undefined;
  const strong: Array<{ key: ConfigKey; distance: number }> = [];
  const weak: typeof strong = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const typo = distance <= Math.max(2, Math.floor(wanted.length / 6));
    const sameLastWord = lower.slice(lower.lastIndexOf('.') + 1) === lastWord || lower.endsWith(`.${wanted}`);
    if (typo || sameLastWord) strong.push({ key: candidate, distance });
    else if (prefix !== undefined && lower.startsWith(prefix)) weak.push({ key: candidate, distance });
  }
  const chosen = strong.length > 0 ? strong : weak;
  chosen.sort((a, b) => a.distance - b.distance); // stable: ties keep table order
  return chosen.slice(0, MAX_SUGGESTIONS).map((s) => s.key);
}

/** The "allowed" part of an unknown-key message: the closest keys, if any, and where the full list is. */
export function unknownKeyHint(key: string): string {
  const close = closestKeys(key);
  const list = `all keys: ${LIST_COMMAND}`;
  if (close.length === 0) return `no known key is close; ${list}`;
  return `did you mean ${close.map((k) => `'${k}'`).join(', ')}? (${list})`;
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
