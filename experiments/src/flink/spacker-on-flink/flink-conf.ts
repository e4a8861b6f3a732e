/**
 * The flink-conf.yaml of a Spacker-on-Flink run (issue 18): the chosen profile's text with the run's values put
 * in (the reference's `configFlink` sed-replaced them in place), our `spacker.*` lines dropped, and the keys the
 * profile lacks appended. Written with the `yaml` library, then read back the way Flink 1.8 reads it (flat
 * `key: value` lines, text after '#' a comment, quotes kept) so that what Flink reads is what the run asked for.
 * Pure: no file system; imports only the config schema and `yaml`.
 */
import { Document, Pair, Scalar, parse, parseDocument, isMap, isScalar } from 'yaml';
import { InvalidConfigError, IoError } from '../../../../engine/src/index.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import { SPECTOR_KEYS } from '../../config/keys-spector.ts';
import { formatValue, isConfigKey, type ConfigKey } from '../../config/schema.ts';

/** One line of the rendered file: the key and the exact text Flink 1.8 must read as its value. */
export interface ConfEntry {
  readonly key: string;
  readonly value: string;
}

/** Keys the reference's configFlink substitutes per run (reference 5.1) plus the other `spector.*` keys we own. */
export const RUN_KEYS: readonly ConfigKey[] = [
  ...(Object.keys(SPECTOR_KEYS) as ConfigKey[]).filter((k) => k !== 'spector.exp.dir'),
  'policy.windowSize',
  'state.backend.async',
];

/** Our own keys, which mean nothing to Flink: dropped from the rendered file (spacker.task_managers becomes `slaves`). */
export const isOwnKey = (key: string): boolean => key.startsWith('spacker.');

const APPENDED_COMMENT = ' Set per run by spacker-ts (what the reference\'s configFlink substitutes), spector.exp.dir into the run folder';

/**
 * How Flink 1.8's GlobalConfiguration reads flink-conf.yaml: per line, everything from the first '#' is a
 * comment, the rest is trimmed and split at the first ": "; a line without it, or with an empty key or value,
 * is skipped; a later line wins. Values are raw text (quotes included).
 */
export function parseFlink18Conf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split('#', 1)[0].trim();
    const at = line.indexOf(': ');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 2).trim();
    if (key !== '' && value !== '') out.set(key, value);
  }
  return out;
}

/**
 * The lines a run sets: every key of the profile (its resolved value, i.e. the profile's unless overridden),
 * then {@link RUN_KEYS}, then any other non-`spacker.*` key set explicitly, then `spector.exp.dir` = `expDir`.
 */
export function confEntries(config: ResolvedConfig, profileKeys: readonly string[], expDir: string): ConfEntry[] {
  const keys: ConfigKey[] = [];
  const add = (k: string): void => {
    if (isConfigKey(k) && !isOwnKey(k) && k !== 'spector.exp.dir' && !keys.includes(k)) keys.push(k);
  };
  profileKeys.forEach(add);
  RUN_KEYS.forEach(add);
  config.explicit().forEach((s) => add(s.key));
  return [...keys.map((key) => ({ key, value: formatValue(config.get(key)) })), { key: 'spector.exp.dir', value: expDir }];
}

/** The YAML node for a value: a number or boolean when the text is exactly how YAML writes one, else the text. */
function scalarFor(text: string): unknown {
  try {
    const typed: unknown = parse(text);
    if ((typeof typed === 'number' || typeof typed === 'boolean') && String(typed) === text) return typed;
  } catch {
    // not a YAML scalar: written as text, checked below
  }
  return text;
}

/** The top-level keys of a profile's text, in file order. */
export function profileKeys(profileText: string): string[] {
  const doc = parseDocument(profileText);
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)));
}

/**
 * The rendered flink-conf.yaml: `profileText` with each entry's value set in place (or appended after one
 * comment line), `spacker.*` lines removed, the profile's other lines and comments kept.
 * @throws InvalidConfigError naming the key when Flink 1.8 would read a value other than the one set (a '#',
 *   a ": " or a text YAML must quote); IoError naming `source` when the profile itself is not flat key: value.
 */
export function renderFlinkConf(profileText: string, entries: readonly ConfEntry[], source: string): string {
  const parsed = parseDocument(profileText);
  if (parsed.errors.length > 0) throw new IoError(source, `not valid YAML: ${parsed.errors[0].message.split('\n')[0]}`);
  const doc: Document = parsed.contents === null ? new Document({}) : (parsed as Document);
  const map = doc.contents;
  if (!isMap(map)) throw new IoError(source, 'a flink-conf.yaml must be a map of key: value lines');
  for (const key of profileKeys(profileText)) if (isOwnKey(key)) doc.delete(key);
  const kept = profileKeys(doc.toString()).filter((k) => !entries.some((e) => e.key === k));
  let first = true;
  for (const { key, value } of entries) {
    if (doc.has(key)) {
      doc.set(key, scalarFor(value));
      continue;
    }
    const k = new Scalar(key);
    if (first) {
      k.spaceBefore = true;
      k.commentBefore = APPENDED_COMMENT;
      first = false;
    }
    map.items.push(new Pair(k, doc.createNode(scalarFor(value))));
  }
  const text = doc.toString({ lineWidth: 0 });
  const read = parseFlink18Conf(text);
  for (const { key, value } of entries) {
    if (read.get(key) !== value) {
      throw new InvalidConfigError(key, value, `a value Flink 1.8 reads back as written in flink-conf.yaml (it reads 'key: value' lines as text: no '#', no ': ', nothing YAML must quote); it would read ${JSON.stringify(read.get(key) ?? '(nothing)')}`);
    }
  }
  for (const key of kept) if (!read.has(key)) throw new IoError(source, `Flink 1.8 would not read the line of '${key}' (flat 'key: value' lines only)`);
  return text;
}

/** The reference's `slaves` file for `taskManagers` TaskManagers on this host (spacker.task_managers). */
export function renderSlaves(taskManagers: number): string {
  return 'localhost\n'.repeat(taskManagers);
}
