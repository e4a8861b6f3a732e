// docs/configuration.md is generated from the schema: this fails when they drift apart (a key added, a
// default or a doc changed without `npm run docs:config`), and checks that every key has its row.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { keysMarkdown } from './list-keys.ts';
import { CONFIG_KEYS } from './schema.ts';

describe('config > docs/configuration.md', () => {
  it('is what the schema generates (run `npm run docs:config` after changing a key)', () => {
    const file = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    assert.ok(file === keysMarkdown(), 'docs/configuration.md differs from the schema: run `npm run docs:config`');
  });

  it('has one row per configuration key, mechanism options included', () => {
    const md = keysMarkdown();
    for (const key of CONFIG_KEYS) assert.ok(md.includes(`| \`${key}\` |`), key);
    assert.ok(md.includes('| `spacker.drrs.buffer_records` |'));
  });
});
