/**
 * The reference's micro-benchmark family (reference 4.2): a source of keys `A0..A{nKeys-1}` chosen by zipf
 * over key groups, with an access flag per record, keyed into the stateful map `Splitter FlatMap` that writes
 * `perKeySize` real bytes for the key when the flag is set. Variants add busy work and a skew/rate switch.
 */
import { JobGraph, RateProfile, rescale } from '../../../engine/src/index.ts';
import type { ExternalSource, SourceFunction } from '../../../engine/src/index.ts';
import { groupKeysByKeyGroup } from './key-space.ts';
import { MicroSource } from './micro-source.ts';
import { StatefulMap, STATEFUL_MAP_NAME } from './stateful-map.ts';

/** The three jobs of the family, as the reference's `MicroBenchmark`, `MicroBenchmarkOrder`, `MicroBenchmarkOverview`. */
export const MICRO_VARIANTS = ['micro-benchmark', 'micro-benchmark-order', 'micro-benchmark-overview'] as const;
export type MicroVariant = (typeof MICRO_VARIANTS)[number];

export interface MicroBenchmarkParams {
  variant: MicroVariant;
  /** Seconds of input. */
  runtimeS: number;
  /** Records per second per downstream subtask; the source emits `perTaskRate * parallelism` in total. */
  perTaskRate: number;
  /** Subtasks of the stateful map holding key groups when the job starts (the rate is per one of these). */
  parallelism: number;
  /**
   * Subtasks of the stateful map deployed (at least `parallelism`; default `parallelism`): the key groups start
   * on Flink's contiguous ranges over the first `parallelism` and the others are idle, so that scenario
   * `rescale` can scale out onto them. The input rate stays `perTaskRate * parallelism`.
   */
  physicalParallelism?: number;
  sourceParallelism: number;
  maxParallelism: number;
  nKeys: number;
  /** Bytes written per key on a state access. */
  perKeySize: number;
  /** Percent of key groups in the access set (redrawn every second). */
  stateAccessRatio: number;
  zipfSkew: number;
  /** Busy work per record in the map, ms (the Order and Overview variants use 0.1 when this is 0). */
  busyWorkMs: number;
  /** Seed of the zipf generator (reference: 12345678). */
  seed: number;
  /** Every key starts with `perKeySize` bytes of state. */
  preload?: boolean;
  /** Scales the variants' fixed clock (skew from 50 s / 70 s, the rate switch at 70 s); default 1. */
  timeScale?: number;
}

/** What the variants change, relative to the plain micro-benchmark. */
export interface VariantShape {
  busyWorkMs: number;
  /** Seconds after which the zipf skew applies (uniform before); 0 = from the start. */
  skewFromS: number;
  /** Rate switch: from `atS` seconds, `perTaskRate` per downstream subtask; undefined = none. */
  rateSwitch?: { atS: number; perTaskRate: number };
}

export function variantShape(p: MicroBenchmarkParams): VariantShape {
  const s = p.timeScale ?? 1;
  switch (p.variant) {
    case 'micro-benchmark':
      return { busyWorkMs: p.busyWorkMs, skewFromS: 0 };
    case 'micro-benchmark-order':
      return { busyWorkMs: p.busyWorkMs || 0.1, skewFromS: 50 * s };
    case 'micro-benchmark-overview':
      return { busyWorkMs: p.busyWorkMs || 0.1, skewFromS: 70 * s, rateSwitch: { atS: 70 * s, perTaskRate: 1600 } };
  }
}

/** The rate profile of the whole source (all subtasks together). */
export function microRateProfile(p: MicroBenchmarkParams): RateProfile {
  const shape = variantShape(p);
  const total = p.perTaskRate * p.parallelism;
  if (shape.rateSwitch === undefined || shape.rateSwitch.atS >= p.runtimeS) return RateProfile.constant(total);
  return new RateProfile([
    { ratePerSec: total, durationMs: shape.rateSwitch.atS * 1000 },
    { ratePerSec: shape.rateSwitch.perTaskRate * p.parallelism },
  ]);
}

/**
 * Builds the job graph: `Source` -> keyBy(key) -> `Splitter FlatMap` (latency measured there). With `external`,
 * the source's records come from outside (e.g. a Kafka topic that `spacker generate` wrote from this same
 * graph) instead of being generated in process.
 */
export function buildMicroBenchmark(
  p: MicroBenchmarkParams,
  external?: (subtask: number) => ExternalSource<boolean>,
): { graph: JobGraph; operator: string; totalRecords: number } {
  const shape = variantShape(p);
  const keys = groupKeysByKeyGroup(p.nKeys, p.maxParallelism);
  const profile = microRateProfile(p);
  const totalRecords = profile.countBefore(p.runtimeS * 1000);
  const graph = new JobGraph();
  if (external !== undefined) graph.externalSource<boolean>('Source', { parallelism: p.sourceParallelism, create: external });
  else
    graph.source<boolean>('Source', {
      parallelism: p.sourceParallelism,
      profile,
      count: totalRecords,
      create: (subtask): SourceFunction<boolean> =>
        new MicroSource(keys, {
          seed: p.seed + subtask,
          accessSeed: 123456789 + subtask,
          zipfSkew: p.zipfSkew,
          skewFromMs: shape.skewFromS * 1000,
          accessKeyGroups: Math.round((p.maxParallelism * p.stateAccessRatio) / 100),
        }),
    });
  const physical = p.physicalParallelism ?? p.parallelism;
  graph.keyed(STATEFUL_MAP_NAME, {
      parallelism: physical,
      maxParallelism: p.maxParallelism,
      ...(physical === p.parallelism ? {} : { initialAssignment: rescale(p.maxParallelism, physical, p.parallelism) }),
      inputs: [{ from: 'Source' }],
      create: () => new StatefulMap(p.perKeySize, shape.busyWorkMs, p.preload === true ? keys : undefined),
      measureLatency: true,
    });
  return { graph, operator: STATEFUL_MAP_NAME, totalRecords };
}
