/**
 * Where a run came from: the git commit (with a dirty flag) and the machine, for each run's config.json,
 * the way megaphone names result folders by commit.
 */
import { execFileSync } from 'node:child_process';
import { cpus, hostname, totalmem, platform, arch } from 'node:os';

export interface Provenance {
  git: { commit: string; dirty: boolean } | { commit: null; reason: string };
  machine: { hostname: string; platform: string; arch: string; cpus: number; cpuModel: string; memoryBytes: number; node: string };
}

export function provenance(): Provenance {
  let git: Provenance['git'];
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    git = { commit, dirty: status.trim().length > 0 };
  } catch {
    git = { commit: null, reason: 'not a git checkout or git not installed' };
  }
  const cpu = cpus();
  return {
    git,
    machine: { hostname: hostname(), platform: platform(), arch: arch(), cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version },
  };
}
