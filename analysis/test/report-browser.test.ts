/**
 * The report in a real browser: built from small generated runs, opened in headless Chromium; it must render,
 * log no console errors, and every figure it lists must load (natural width > 0). Without chromium the test
 * skips with the reason, unless CI=true, where a missing chromium is a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeReport } from '../src/cli/report.ts';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing (.ci/run installs Debian's chromium package)`);

function job(out: string, run: string, ...sets: string[]): void {
  const base = ['spacker.runtime=4', 'spector.reconfig.start=2000', 'spacker.rate.per_task=500', 'spacker.workload.per_key_size=1024'];
  const args = ['--import', 'tsx', 'experiments/src/cli/main.ts', 'job', 'micro-benchmark', '--out', out, '--run', run, ...[...base, ...sets].flatMap((s) => ['--set', s])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('the HTML report renders in headless Chromium with every figure loaded', { skip: missing ? `no ${CHROMIUM} (install Debian's chromium package; CI=true makes this a failure)` : false, timeout: 180_000 }, async () => {
  const results = mkdtempSync(join(tmpdir(), 'report-'));
  job(results, 'all-at-once');
  job(results, 'sync-4', 'spector.reconfig.sync_keys=4');
  job(results, 'filter-1', 'spector.replicate_keys_filter=1');
  job(results, 'restart', 'spacker.strategy=restart');
  const path = await writeReport(results, join(results, 'report'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    assert.equal(await page.title(), 'spacker-ts report');
    const images = await page.$$eval('figure img', (imgs) => imgs.map((i) => ({ src: i.getAttribute('src'), complete: i.complete, w: i.naturalWidth })));
    const listed = (JSON.parse(readFileSync(join(results, 'report', 'figures', 'figures.json'), 'utf8')) as { figures: unknown[] }).figures.length;
    assert.ok(listed >= 3, `expected at least 3 figures, found ${listed}`);
    assert.equal(images.length, listed);
    for (const img of images) assert.ok(img.complete && img.w > 0, `figure not loaded: ${img.src}`);
    assert.equal(await page.$$eval('section h2', (h) => h.some((x) => x.textContent === 'Runs')), true);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
