/**
 * Judges a reconfiguration request that arrived through the control plane: a target assignment (the JSON of a
 * target file) or a scenario name (its first phase, from the current assignment), plus optional strategy
 * fields. Returns what to migrate to, or the reason the request is refused. Pure.
 */
import { Assignment, MECHANISM_NAMES, ORDER_FUNCTIONS, SCENARIO_NAMES, parseTargetAssignment, scenarioNamed, strategyAt } from '../../../engine/src/index.ts';
import type { ScenarioContext, Strategy } from '../../../engine/src/index.ts';
import { inConfigTerms } from '../config/engine-parameters.ts';

export interface JobFacts {
  /** The operator's current assignment. */
  readonly current: Assignment;
  readonly maxParallelism: number;
  readonly parallelism: number;
  readonly context: ScenarioContext;
  readonly strategy: Strategy;
  /** The run's mechanism (spacker.strategy), used when the request names none. */
  readonly mechanism: string;
  /** Why the job cannot take a migration now (busy, scenario running, input ended), or undefined. */
  readonly busy?: string;
}

export type Verdict = { readonly ok: true; readonly target: Assignment; readonly strategy: Strategy; readonly mechanism: string } | { readonly ok: false; readonly reason: string };

export function judgeRequest(request: unknown, job: JobFacts, name: string): Verdict {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return refuse('the request is not a JSON object');
  const r = request as Record<string, unknown>;
  if (job.busy !== undefined) return refuse(job.busy);
  const hasTarget = r.target !== undefined;
  const hasScenario = r.scenario !== undefined;
  if (hasTarget === hasScenario) return refuse('give exactly one of "target" (a target assignment) and "scenario" (a scenario name)');
  const strategy = strategyOf(r.strategy, job.strategy);
  if (typeof strategy === 'string') return refuse(strategy);
  const mechanism = r.mechanism ?? job.mechanism;
  if (typeof mechanism !== 'string' || !MECHANISM_NAMES.includes(mechanism)) return refuse(`unknown mechanism ${JSON.stringify(r.mechanism)}; allowed: ${MECHANISM_NAMES.join(', ')}`);
  let target: Assignment;
  if (hasTarget) {
    try {
      target = parseTargetAssignment(r.target, job.maxParallelism, job.parallelism, `request ${name}`);
    } catch (err) {
      return refuse((err as Error).message);
    }
  } else {
    if (typeof r.scenario !== 'string' || !(SCENARIO_NAMES as readonly string[]).includes(r.scenario)) return refuse(`unknown scenario ${JSON.stringify(r.scenario)}; allowed: ${SCENARIO_NAMES.join(', ')}`);
    try {
      const phases = scenarioNamed(r.scenario);
      // As a scenario's first phase: from the current assignment with its lists ascending.
      target = phases[0].target(Assignment.fromMap(job.current.toMap(), job.maxParallelism, job.parallelism), job.context);
      return target.equals(job.current) ? refuse(`scenario '${r.scenario}' moves nothing from the current assignment`) : { ok: true, target, strategy: { ...strategyAt(strategy, phases, 0) }, mechanism };
    } catch (err) {
      return refuse(`scenario '${r.scenario}' does not apply to this job: ${(inConfigTerms(err) as Error).message}`);
    }
  }
  if (target.equals(job.current)) return refuse('the target equals the current assignment; nothing to move');
  return { ok: true, target, strategy, mechanism };
}

function refuse(reason: string): Verdict {
  return { ok: false, reason };
}

/** The job's strategy with the request's fields; a string is the reason a field is refused. */
function strategyOf(fields: unknown, base: Strategy): Strategy | string {
  if (fields === undefined) return base;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return '"strategy" must be an object of order, syncKeys, replicateFilter, hotRatio';
  const f = fields as Record<string, unknown>;
  const out: { -readonly [K in keyof Strategy]: Strategy[K] } = { ...base };
  for (const [k, v] of Object.entries(f)) {
    if (k === 'order') {
      if (typeof v !== 'string' || !(ORDER_FUNCTIONS as readonly string[]).includes(v)) return `strategy.order ${JSON.stringify(v)}; allowed: ${ORDER_FUNCTIONS.join(', ')}`;
      out.order = v as Strategy['order'];
    } else if (k === 'syncKeys' || k === 'replicateFilter') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `strategy.${k} ${JSON.stringify(v)}; allowed: a whole number >= 0`;
      out[k] = v;
    } else if (k === 'hotRatio') {
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) return `strategy.hotRatio ${JSON.stringify(v)}; allowed: a number from 0 to 1`;
      out.hotRatio = v;
    } else return `unknown strategy field '${k}'; allowed: order, syncKeys, replicateFilter, hotRatio`;
  }
  return out;
}
