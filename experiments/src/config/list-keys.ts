/**
 * Renders every configuration key as an aligned text table (key, type and range, default with unit, doc),
 * grouped into our keys, the reference's keys and the keys accepted only for compatibility. Pure.
 */
import { CONFIG_KEYS, COMPAT_NOTE, SCHEMA, describeType, formatValue, specOf, type ConfigKey } from './schema.ts';

const SECTIONS: ReadonlyArray<{ title: string; keys: (key: ConfigKey) => boolean }> = [
  { title: 'spacker-ts keys', keys: (key) => key.startsWith('spacker.') && !specOf(key).compat },
  { title: 'Spacker reference keys', keys: (key) => !key.startsWith('spacker.') && !specOf(key).compat },
  { title: `Flink and Spacker-on-Flink keys: ${COMPAT_NOTE}`, keys: (key) => specOf(key).compat === true },
];

/**
 * Every key as a human-readable table, one row per key: name, type with range ("int 1..32768"), default
 * (with its unit) and a one-line doc; enum rows list their words. This is what `spacker config --list` prints.
 */
export function listKeys(): string {
  const rows = CONFIG_KEYS.map((key) => row(key));
  const width = (column: 0 | 1 | 2): number =>
    Math.max(HEADER[column].length, ...rows.map((r) => r.cells[column].length));
  const widths = [width(0), width(1), width(2)] as const;
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i as 0 | 1 | 2]) : cell)).join('  ')}`.trimEnd();
  const out = [line(HEADER)];
  for (const section of SECTIONS) {
    out.push('', section.title);
    for (const r of rows) if (section.keys(r.key)) out.push(line(r.cells));
  }
  return `${out.join('\n')}\n`;
}

const HEADER = ['KEY', 'TYPE', 'DEFAULT', 'DOC'] as const;

/**
 * The same listing as Markdown, one table per section: docs/configuration.md, regenerated with
 * `npm run docs:config` (a test fails when the file and the schema drift apart).
 */
export function keysMarkdown(): string {
  const cell = (c: string): string => c.replace(/\|/g, '\\|');
  const out = [
    '# Configuration keys',
    '',
    'Generated from the schema (experiments/src/config/) by `npm run docs:config`; do not edit by hand. Keys are',
    'given as `--set KEY=VALUE`, in a profile, or as the reference\'s `flink-conf.yaml` lines; `spacker config --list`',
    'prints the same. Mechanism options (`spacker.<family>.<option>`) come from the mechanism registry.',
  ];
  const rows = CONFIG_KEYS.map((key) => row(key));
  for (const section of SECTIONS) {
    out.push('', `## ${section.title}`, '', `| ${HEADER.map((h) => h.toLowerCase()).join(' | ')} |`, '|---|---|---|---|');
    for (const r of rows) if (section.keys(r.key)) out.push(`| ${r.cells.map((c, i) => (i === 0 ? `\`${c}\`` : cell(c))).join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}

function row(key: ConfigKey): { key: ConfigKey; cells: readonly [string, string, string, string] } {
  const spec = specOf(key);
  const value = formatValue(SCHEMA[key].default);
  const shown = spec.kind === 'string' || value === '' ? JSON.stringify(value) : value;
  const defaultCell = spec.unit && spec.kind !== 'string' ? `${shown} ${spec.unit}` : shown;
  const doc = spec.kind === 'enum' ? `${spec.doc}; one of: ${spec.values.join(', ')}` : spec.doc;
  return { key, cells: [key, describeType(spec), defaultCell, doc] };
}
