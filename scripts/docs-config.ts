// Writes docs/configuration.md from the configuration schema (experiments/src/config/list-keys.ts keysMarkdown).
import { writeFileSync } from 'node:fs';
import { keysMarkdown } from '../experiments/src/config/list-keys.ts';

const path = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(path, keysMarkdown());
console.log(`wrote docs/configuration.md`);
