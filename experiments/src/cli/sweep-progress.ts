/**
 * Progress of a sweep: two cli-progress bars when stderr is a terminal (the family: runs done of total, elapsed,
 * ETA; the current run: seconds of runtime and its state, steady / migrating chunk i of n / done), otherwise one
 * line per run and a line every ten seconds (CI logs stay readable).
 */
import cliProgress from 'cli-progress';
import type { JobProgress } from '../run/run-job.ts';

export interface SweepProgressView {
  runStart(name: string, index: number): void;
  runProgress(p: JobProgress): void;
  runEnd(name: string, outcome: string): void;
  /** A line to show above the bars (a note about the run's input). */
  note(text: string): void;
  stop(): void;
}

export function sweepProgress(family: string, total: number): SweepProgressView {
  const started = Date.now();
  let done = 0;
  let current = '';
  if (!process.stderr.isTTY) {
    let last = -Infinity;
    return {
      runStart(name, index) {
        current = name;
        last = -Infinity;
        console.error(`${family}: run ${index + 1} of ${total}: ${name}`);
      },
      runProgress(p) {
        if (p.elapsedS - last < 10) return;
        last = p.elapsedS;
        console.error(`${family}/${current}: ${p.elapsedS.toFixed(0)}/${p.runtimeS} s, ${p.phase}`);
      },
      runEnd(name, outcome) {
        done++;
        console.error(`${family}: ${name} ${outcome} (${done}/${total}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
      },
      note(text) {
        console.error(text);
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar(
    { stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 4, format: '{label} [{bar}] {value}/{total} {unit} | {info}' },
    cliProgress.Presets.shades_classic,
  );
  const familyBar = multi.create(total, 0, { label: family.padEnd(28), unit: 'runs', info: 'elapsed 0 s' });
  let runBar: cliProgress.SingleBar | undefined;
  const familyInfo = (): string => {
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 ? ` | ETA ${Math.round((elapsed / done) * (total - done))} s` : '';
    return `elapsed ${elapsed.toFixed(0)} s${eta}`;
  };
  return {
    runStart(name) {
      current = name;
      runBar = multi.create(1, 0, { label: `  ${current}`.padEnd(28), unit: 's', info: 'starting' });
    },
    runProgress(p) {
      runBar?.setTotal(p.runtimeS);
      runBar?.update(Math.min(p.runtimeS, Math.floor(p.elapsedS)), { info: p.phase });
      familyBar.update(done, { info: familyInfo() });
    },
    runEnd(name, outcome) {
      done++;
      if (runBar !== undefined) {
        runBar.update({ info: outcome });
        multi.remove(runBar);
        runBar = undefined;
      }
      if (outcome !== 'skipped') multi.log(`${name}: ${outcome}\n`);
      familyBar.update(done, { info: familyInfo() });
    },
    note(text) {
      multi.log(`${text}\n`);
    },
    stop() {
      multi.stop();
    },
  };
}
