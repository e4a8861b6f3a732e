/** `npm run report [-- --results DIR --out DIR]`: regenerate the figures and write <out>/index.html (default results/report). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateFigures } from '../render/generate.ts';
import { scanResults } from '../read/run-folder.ts';
import { reportHtml } from '../report/html.ts';

export async function writeReport(results: string, out: string, log: (line: string) => void = () => {}): Promise<string> {
  const index = await generateFigures({ results, out: join(out, 'figures'), onProgress: (def, i, total, status) => log(`[${i + 1}/${total}] ${def.id}: ${status}`) });
  const { runs } = scanResults(results);
  const path = join(out, 'index.html');
  writeFileSync(path, reportHtml(index, runs, 'figures'));
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { results: { type: 'string', default: 'results' }, out: { type: 'string' } } });
  const results = values.results ?? 'results';
  const path = await writeReport(results, values.out ?? join(results, 'report'), (l) => process.stdout.write(`${l}\n`));
  process.stdout.write(`report: ${path}\n`);
}
