/**
 * Runs the CLI's `main(argv)` in-process with what it prints captured (shared by the CLI tests). It captures
 * `console.*`, never `process.stdout.write`: node's test runner reports to its parent through the test
 * process's stdout, and swallowing those writes would lose test results.
 */
import { format } from 'node:util';
import { main } from '../../experiments/src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, info: console.info, error: console.error, warn: console.warn };
  console.log = console.info = (...a: unknown[]) => void out.push(`${format(...a)}\n`);
  console.error = console.warn = (...a: unknown[]) => void err.push(`${format(...a)}\n`);
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    Object.assign(console, saved);
  }
}
