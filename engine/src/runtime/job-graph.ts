/**
 * The static description of a dataflow: sources -> keyBy -> keyed operators -> optional sink. Validated
 * once when built; the running job (`job.ts`) never re-checks it. Imports core/, routing/ and task types.
 */
import type { Assignment } from '../core/assignment.ts';
import type { Schedule } from '../core/schedule.ts';
import type { KeySelector } from '../routing/router.ts';
import { InvalidConfigError } from '../errors.ts';
import type { ExternalSource, KeyedFunction, SourceFunction } from './task.ts';

/** Flink's upper bound for max parallelism (number of key groups). */
export const MAX_MAX_PARALLELISM = 32768;

export interface SourceVertex {
  readonly kind: 'source';
  readonly name: string;
  readonly parallelism: number;
  /** When records are due, for all subtasks together (each subtask runs `profile.forSubtask(s, parallelism)`). */
  readonly profile: Schedule;
  /** Records of all subtasks together. */
  readonly count: number;
  readonly create: (subtask: number, parallelism: number) => SourceFunction<unknown>;
  /** Event time: a watermark (the next record's scheduled time) at least this often, ms; absent = none. */
  readonly watermarkIntervalMs?: number;
  readonly external?: undefined;
}

/** A source whose records come from outside the job (see `ExternalSource`), e.g. a Kafka topic. */
export interface ExternalSourceVertex {
  readonly kind: 'source';
  readonly external: true;
  readonly name: string;
  readonly parallelism: number;
  readonly create: (subtask: number, parallelism: number) => ExternalSource<unknown>;
}

export interface KeyedInput {
  /** Name of the upstream vertex. */
  readonly from: string;
  /** Key of a record on this edge; default: the key the upstream emitted it with. */
  readonly key?: KeySelector<unknown>;
}

export interface KeyedVertex {
  readonly kind: 'keyed';
  readonly name: string;
  readonly parallelism: number;
  /** Number of key groups. */
  readonly maxParallelism: number;
  /** One input, or two for a two-input operator (input index = position here). */
  readonly inputs: readonly KeyedInput[];
  readonly create: (subtask: number) => KeyedFunction<unknown, unknown>;
  /** Whether this operator's subtasks write per-record latency (the "stateful operator" of the job). */
  readonly measureLatency: boolean;
  /**
   * The key groups each subtask holds when the job starts; absent = Flink's contiguous ranges over all
   * `parallelism` subtasks. Covers `maxParallelism` key groups over `parallelism` subtasks (some may hold none).
   */
  readonly initialAssignment?: Assignment;
}

export interface SinkVertex {
  readonly kind: 'sink';
  readonly name: string;
  readonly parallelism: number;
  readonly from: string;
  readonly consume?: (value: unknown, key: unknown) => void;
}

export type Vertex = SourceVertex | ExternalSourceVertex | KeyedVertex | SinkVertex;

/** A validated dataflow. Vertices are in topological order (the order they were added). */
export class JobGraph {
  private readonly vertices: Vertex[] = [];

  source<V>(name: string, spec: { parallelism: number; profile: Schedule; count: number; create: (subtask: number, parallelism: number) => SourceFunction<V>; watermarkIntervalMs?: number }): this {
    checkInt(`${name}.parallelism`, spec.parallelism, 1, MAX_MAX_PARALLELISM);
    checkInt(`${name}.count`, spec.count, 0, Number.MAX_SAFE_INTEGER);
    const wm = spec.watermarkIntervalMs;
    if (wm !== undefined && !(wm > 0 && Number.isFinite(wm))) throw new InvalidConfigError(`${name}.watermarkIntervalMs`, wm, 'a number of ms greater than 0');
    return this.add({ kind: 'source', name, ...spec } as SourceVertex);
  }

  /** A source fed from outside (records arrive with their scheduled times); it ends when its feed ends. */
  externalSource<V>(name: string, spec: { parallelism: number; create: (subtask: number, parallelism: number) => ExternalSource<V> }): this {
    checkInt(`${name}.parallelism`, spec.parallelism, 1, MAX_MAX_PARALLELISM);
    return this.add({ kind: 'source', external: true, name, ...spec } as ExternalSourceVertex);
  }

  keyed<In, Out>(name: string, spec: { parallelism: number; maxParallelism: number; inputs: readonly KeyedInput[]; create: (subtask: number) => KeyedFunction<In, Out>; measureLatency?: boolean; initialAssignment?: Assignment }): this {
    checkInt(`${name}.maxParallelism`, spec.maxParallelism, 1, MAX_MAX_PARALLELISM);
    checkInt(`${name}.parallelism`, spec.parallelism, 1, spec.maxParallelism);
    const initial = spec.initialAssignment;
    if (initial !== undefined && (initial.maxParallelism !== spec.maxParallelism || initial.parallelism !== spec.parallelism)) {
      throw new InvalidConfigError(`${name}.initialAssignment`, `${initial.maxParallelism} key groups over ${initial.parallelism} subtasks`, `${spec.maxParallelism} key groups over ${spec.parallelism} subtasks (the operator's maxParallelism and parallelism)`);
    }
    if (spec.inputs.length < 1 || spec.inputs.length > 2) throw new InvalidConfigError(`${name}.inputs`, spec.inputs.length, '1 or 2 inputs');
    for (const input of spec.inputs) this.consume(name, input.from);
    return this.add({ kind: 'keyed', name, measureLatency: spec.measureLatency ?? false, ...spec } as KeyedVertex);
  }

  sink(name: string, spec: { parallelism: number; from: string; consume?: (value: unknown, key: unknown) => void }): this {
    checkInt(`${name}.parallelism`, spec.parallelism, 1, MAX_MAX_PARALLELISM);
    this.consume(name, spec.from);
    return this.add({ kind: 'sink', name, ...spec });
  }

  all(): readonly Vertex[] {
    return this.vertices;
  }

  get(name: string): Vertex {
    const v = this.vertices.find((x) => x.name === name);
    if (v === undefined) throw new InvalidConfigError('operator', name, `one of: ${this.vertices.map((x) => x.name).join(', ')}`);
    return v;
  }

  /** The vertex that reads `name`'s output, if any (each vertex has at most one consumer). */
  consumerOf(name: string): Vertex | undefined {
    return this.vertices.find((v) => (v.kind === 'keyed' ? v.inputs.some((i) => i.from === name) : v.kind === 'sink' && v.from === name));
  }

  private consume(consumer: string, from: string): void {
    const upstream = this.vertices.find((v) => v.name === from);
    if (upstream === undefined) throw new InvalidConfigError(`${consumer}.from`, from, `an operator added before it (${this.vertices.map((v) => v.name).join(', ') || 'none yet'})`);
    if (upstream.kind === 'sink') throw new InvalidConfigError(`${consumer}.from`, from, 'a source or keyed operator, not a sink');
    if (this.consumerOf(from) !== undefined) throw new InvalidConfigError(`${consumer}.from`, from, 'an operator whose output is not consumed yet (one consumer per operator)');
  }

  private add(v: Vertex): this {
    if (this.vertices.some((x) => x.name === v.name)) throw new InvalidConfigError('operator name', v.name, 'a name not used by another operator of the job');
    this.vertices.push(v);
    return this;
  }
}

function checkInt(key: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new InvalidConfigError(key, v, `an integer from ${min} to ${max}`);
}
