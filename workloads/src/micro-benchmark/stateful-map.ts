/**
 * The micro-benchmark's stateful operator, `Splitter FlatMap`: a map state `word-count` of key -> bytes.
 * When a record's access flag is set it writes `perKeySize` bytes for the key (the record's sequence number,
 * then a fill byte derived from it), so state is real memory and its content depends on the input alone.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, MapState } from '../../../engine/src/index.ts';
import type { KeySpace } from './key-space.ts';

export const STATEFUL_MAP_NAME = 'Splitter FlatMap';
export const STATE_NAME = 'word-count';

export class StatefulMap implements KeyedFunction<boolean, never> {
  private state!: MapState<string, Buffer>;
  private backend!: KeyedStateBackend;

  constructor(
    readonly perKeySize: number,
    readonly busyWorkMs: number,
    /** When given, every key of the key groups this subtask owns starts with a payload (sequence number -1). */
    private readonly preload?: KeySpace,
  ) {}

  open(backend: KeyedStateBackend): void {
    this.state = backend.mapState<string, Buffer>(STATE_NAME);
    this.backend = backend;
    const keys = this.preload;
    if (keys === undefined) return;
    keys.keyGroups.forEach((kg, i) => {
      if (!backend.owns(kg)) return;
      for (const key of keys.keys[i]) {
        backend.setCurrentKey(key, kg);
        const bytes = backend.allocBytes(this.perKeySize);
        writePayload(bytes, -1);
        this.state.put(key, bytes);
      }
    });
  }

  processElement(access: boolean, ctx: KeyedContext<never>): void {
    if (this.busyWorkMs > 0) busyWait(this.busyWorkMs);
    if (!access) return;
    const key = ctx.key as string;
    let bytes = this.state.get(key);
    if (bytes === undefined) bytes = this.backend.allocBytes(this.perKeySize);
    writePayload(bytes, ctx.seq);
    this.state.put(key, bytes);
  }
}

/** The bytes a write leaves: the sequence number (little-endian float64 if room), then `seq & 0xff`. */
export function writePayload(bytes: Buffer, seq: number): void {
  if (bytes.length >= 8) {
    bytes.writeDoubleLE(seq, 0);
    bytes.fill(seq & 0xff, 8);
  } else {
    bytes.fill(seq & 0xff);
  }
}

/** Spins for `ms` milliseconds (the reference's per-record CPU work). */
export function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}
