/** `npm run figures [-- --results DIR --out DIR]`: regenerate every figure whose runs exist. */
import { parseArgs } from 'node:util';
import { generateFigures } from '../render/generate.ts';

const { values } = parseArgs({ options: { results: { type: 'string', default: 'results' }, out: { type: 'string' } } });
const results = values.results ?? 'results';
const out = values.out ?? `${results}/figures`;
const t0 = performance.now();
const index = await generateFigures({
  results,
  out,
  onProgress: (def, i, total, status) => process.stdout.write(`[${String(i + 1).padStart(2)}/${total}] ${def.id}: ${status}\n`),
});
process.stdout.write(`\n${index.figures.length} figure(s) in ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
if (index.missing.length) {
  process.stdout.write('\nMissing runs:\n');
  const byScript = new Map<string, string[]>();
  for (const m of index.missing) byScript.set(m.produce, [...(byScript.get(m.produce) ?? []), m.id]);
  for (const [script, ids] of byScript) process.stdout.write(`  npm run ${script}   -> ${ids.join(', ')}\n`);
}
if (index.problems.length) {
  process.stdout.write('\nProblems (reported; the other figures were produced):\n');
  for (const p of index.problems) process.stdout.write(`  ${p.path}: ${p.message}\n`);
}
