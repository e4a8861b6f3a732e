/**
 * The Nexmark source function: subtask `s` of `P` emits event numbers `s, s+P, s+2P, ...` at its scheduled
 * times, keeping only the kinds the query reads. By default the others cost one modulo (a query of bids
 * skips people and auctions without generating them); with `generateAll` every event is generated and the
 * unread ones dropped, as Flink's Nexmark source does. An event's time is its scheduled time, whole ms
 * after the start.
 */
import type { Collector, SourceFunction } from '../../../engine/src/index.ts';
import type { NexmarkGenerator } from './generator.ts';
import type { EventKind, NexmarkEvent } from './model.ts';

export class NexmarkSource implements SourceFunction<NexmarkEvent> {
  private readonly person: boolean;
  private readonly auction: boolean;
  private readonly bid: boolean;

  constructor(
    private readonly generator: NexmarkGenerator,
    private readonly subtask: number,
    private readonly parallelism: number,
    kinds: readonly EventKind[],
    private readonly generateAll = false,
  ) {
    this.person = kinds.includes('person');
    this.auction = kinds.includes('auction');
    this.bid = kinds.includes('bid');
  }

  emit(index: number, offsetMs: number, out: Collector<NexmarkEvent>): void {
    const n = eventNumber(index, this.subtask, this.parallelism);
    const g = this.generator;
    const dateTime = Math.floor(offsetMs);
    if (this.generateAll) {
      const e = g.event(n, dateTime);
      if (e.kind === 'person' ? this.person : e.kind === 'auction' ? this.auction : this.bid) out.collect(e);
      return;
    }
    switch (g.kindOf(n)) {
      case 'person':
        if (this.person) out.collect(g.person(n, dateTime));
        return;
      case 'auction':
        if (this.auction) out.collect(g.auction(n, dateTime));
        return;
      case 'bid':
        if (this.bid) out.collect(g.bid(n, dateTime));
        return;
    }
  }
}

/** The event number of local record `index` of source subtask `subtask` of `parallelism`. */
export function eventNumber(index: number, subtask: number, parallelism: number): number {
  return index * parallelism + subtask;
}
