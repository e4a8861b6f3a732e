/**
 * The micro-benchmark source function: per record, a key group by zipf (rank 1 = lowest key group), the
 * `(index mod size)`-th key of that group, and an access flag = "the key group is in the access set", a set
 * redrawn at every second of scheduled time. Deterministic for its seeds (the reference redraws unseeded).
 */
import { FastZipf, JavaRandom } from '../../../engine/src/index.ts';
import type { Collector, SourceFunction } from '../../../engine/src/index.ts';
import type { KeySpace } from './key-space.ts';

export interface MicroSourceOptions {
  /** Seed of the zipf draws (reference: 12345678). */
  seed: number;
  /** Seed of the access-set draws (reference's first draw: 123456789). */
  accessSeed: number;
  zipfSkew: number;
  /** Scheduled time (ms after start) from which the skew applies; uniform before. */
  skewFromMs: number;
  /** Size of the access set, in key groups. */
  accessKeyGroups: number;
}

export class MicroSource implements SourceFunction<boolean> {
  private readonly uniform: FastZipf;
  private readonly skewed: FastZipf;
  private readonly accessRandom: JavaRandom;
  /** Indexed by position in `keys.keyGroups`: 1 while in the access set. */
  private readonly inAccessSet: Uint8Array;
  private readonly order: Int32Array;
  private second = -1;

  constructor(
    private readonly keys: KeySpace,
    private readonly o: MicroSourceOptions,
  ) {
    const n = keys.keyGroups.length;
    this.uniform = new FastZipf(n, 0, 0, o.seed);
    this.skewed = new FastZipf(n, o.zipfSkew, 0, o.seed);
    this.accessRandom = new JavaRandom(o.accessSeed);
    this.inAccessSet = new Uint8Array(n);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
  }

  emit(index: number, offsetMs: number, out: Collector<boolean>): void {
    const second = Math.floor(offsetMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.redrawAccessSet();
    }
    const g = (offsetMs >= this.o.skewFromMs ? this.skewed : this.uniform).next();
    const group = this.keys.keys[g];
    out.collect(this.inAccessSet[g] === 1, group[index % group.length]);
  }

  /** Partial Fisher-Yates: the first `accessKeyGroups` of a fresh permutation form the set. */
  private redrawAccessSet(): void {
    const n = this.order.length;
    const k = Math.min(this.o.accessKeyGroups, n);
    this.inAccessSet.fill(0);
    for (let i = 0; i < k; i++) {
      const j = i + this.accessRandom.nextInt(n - i);
      const t = this.order[i];
      this.order[i] = this.order[j];
      this.order[j] = t;
      this.inAccessSet[this.order[i]] = 1;
    }
  }
}
