/**
 * A small CSV reader for the results' small files (series, timers, events): every row checked against the
 * header, and a broken row is an error naming the file and the line.
 */

export class InputError extends Error {
  constructor(
    readonly path: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? `${path}: ${message}` : `${path}:${line}: ${message}`);
    this.name = 'InputError';
  }
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes). */
export function splitCsvLine(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  out.push(field);
  return out;
}

export interface CsvRow {
  line: number;
  fields: string[];
}

/** Rows of a CSV text whose header must be exactly `columns`. Empty trailing lines are ignored. */
export function parseCsv(text: string, path: string, columns: readonly string[]): CsvRow[] {
  const lines = text.split(/\r?\n/);
  if (lines.length === 0 || lines[0] === '') throw new InputError(path, 1, `empty file, expected the header ${columns.join(',')}`);
  if (lines[0] !== columns.join(',')) throw new InputError(path, 1, `expected the header ${columns.join(',')}, found ${JSON.stringify(lines[0])}`);
  const rows: CsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i];
    if (text === '') {
      if (lines.slice(i + 1).some((l) => l !== '')) throw new InputError(path, i + 1, 'empty line in the middle of the file');
      break;
    }
    const fields = splitCsvLine(text);
    if (fields === undefined) throw new InputError(path, i + 1, 'unterminated quoted field');
    if (fields.length !== columns.length) {
      throw new InputError(path, i + 1, `expected ${columns.length} fields (${columns.join(',')}), found ${fields.length}: ${JSON.stringify(text)}`);
    }
    rows.push({ line: i + 1, fields });
  }
  return rows;
}

/** A finite number, or an error naming the file, the line and the column. */
export function num(row: CsvRow, index: number, path: string, column: string): number {
  const s = row.fields[index];
  const v = s === '' ? NaN : Number(s);
  if (!Number.isFinite(v)) throw new InputError(path, row.line, `${column} is not a number: ${JSON.stringify(s)}`);
  return v;
}
