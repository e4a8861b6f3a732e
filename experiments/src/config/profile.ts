/**
 * Configuration profiles: `flink-conf/<profile>/flink-conf.yaml`, the reference's conf files (reference 2.2),
 * read as one configuration layer. A profile carries the reference's keys plus our `spacker.*` keys
 * (`spacker.task_managers` stands for the reference's `slaves` file); its values are validated when the
 * layers are resolved, naming the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { InvalidConfigError, IoError } from '../../../engine/src/index.ts';
import type { ConfigLayer } from './resolve.ts';

/** The profile `spacker run` uses unless told otherwise (the reference scripts' FLINK_CONF_DIR). */
export const DEFAULT_PROFILE = 'conf-server';

/** The repository's flink-conf/ folder. */
export const PROFILES_ROOT = resolve(fileURLToPath(new URL('../../../flink-conf', import.meta.url)));

/** The names of the folders under `root` that hold a flink-conf.yaml, sorted. */
export function listProfiles(root = PROFILES_ROOT): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'flink-conf.yaml')))
    .sort();
}

/**
 * Reads profile `name` as a configuration layer whose source is the file's path.
 * @throws InvalidConfigError for an unknown profile (listing those found); IoError for a YAML error (file, line).
 */
export function loadProfile(name: string, root = PROFILES_ROOT): ConfigLayer {
  const profiles = listProfiles(root);
  if (!profiles.includes(name)) {
    const found = profiles.length ? `one of the profiles under ${displayPath(root)}: ${profiles.join(', ')}` : `a folder under ${displayPath(root)} with a flink-conf.yaml (none found)`;
    throw new InvalidConfigError('--profile', name, found);
  }
  const file = join(root, name, 'flink-conf.yaml');
  const source = displayPath(file);
  return { source, values: parseProfileText(readFileSync(file, 'utf8'), source) };
}

/** Parses the text of a flink-conf.yaml: a map of keys to scalars (an empty file is an empty map). */
export function parseProfileText(text: string, source: string): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    const pos = error.linePos?.[0];
    const where = pos === undefined ? '' : ` at line ${pos.line}, column ${pos.col}`;
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new IoError(source, `YAML syntax error${where}: ${what}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new IoError(source, 'a flink-conf.yaml must be a map of key: value lines');
  return value as Record<string, unknown>;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
