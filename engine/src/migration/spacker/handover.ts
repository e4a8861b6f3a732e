/**
 * How one key group crosses from its source to its destination once the source aligned: what is taken out
 * at the source and how the destination installs it. Spacker's: a clean replicated key group ships nothing
 * (the destination restores its local replica), any other ships whole. Another mechanism built on the same
 * executor (Rhino) supplies its own. Imports state/ types and migration/ only.
 */
import type { KeyedStateBackend } from '../../state/keyed-state-backend.ts';
import type { Key } from '../../core/key-group.ts';
import { ProtocolError } from '../../errors.ts';
import type { Parcel } from '../state-transfer.ts';

/** What the source gives up: nothing (the replica at the destination is the state), the key group whole, or its change since the replica. */
export type Taken =
  | { readonly kind: 'replica' }
  | { readonly kind: 'whole'; readonly parcel: Parcel }
  | { readonly kind: 'change'; readonly parcel: Parcel & { readonly keys: readonly Key[] } };

/** One key group's move as a handover sees it. */
export interface HandoverMove {
  readonly kg: number;
  readonly src: KeyedStateBackend;
  readonly dst: KeyedStateBackend;
  /** Whether the key group is replicated (at every checkpoint). */
  readonly replicated: boolean;
  /** Its replica in the destination's store, when it is replicated and has one. */
  readonly replica: Uint8Array | undefined;
}

export interface Handover {
  take(m: HandoverMove): Taken;
  /** Installs what was taken (`copies`: the parcel's byte values in the destination's memory) and drops the source's copy. */
  install(m: HandoverMove, taken: Taken, copies: readonly Uint8Array[]): void;
}

export const SPACKER_HANDOVER: Handover = {
  take: (m) => (m.replica !== undefined && !m.src.isDirty(m.kg) ? { kind: 'replica' } : { kind: 'whole', parcel: m.src.exportKeyGroup(m.kg) }),
  install: (m, taken, copies) => {
    if (taken.kind === 'whole') adoptWhole(m, taken.parcel, copies);
    else if (taken.kind === 'replica') {
      restoreReplica(m);
      m.src.release(m.kg);
    } else throw new ProtocolError(`key group ${m.kg}: Spacker ships no changes`);
  },
};

/** The destination restores the key group from its replica (which stays in the store: the state gets its own copy). */
export function restoreReplica(m: HandoverMove): void {
  if (m.replica === undefined) throw new ProtocolError(`key group ${m.kg}: restored from a replica it does not have`);
  m.dst.restoreKeyGroup(m.kg, m.replica, { copy: true });
  m.dst.matchesReplica(m.kg);
}

/** Installs a whole key group shipped from the source; shipped state is newer than every replica (the next checkpoint must refresh it). */
export function adoptWhole(m: HandoverMove, parcel: Parcel, copies: readonly Uint8Array[]): void {
  m.dst.adoptKeyGroup(m.kg, parcel.tables, copies, parcel.bytes);
  if (m.replicated) m.dst.markDirty(m.kg);
  m.src.detach(m.kg, parcel.values);
}
