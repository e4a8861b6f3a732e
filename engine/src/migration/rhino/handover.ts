/**
 * Rhino's handover of one key group: with a replica at the destination and the change since it known, only
 * the change crosses (nothing when there is none) and the destination restores replica + change; without,
 * the key group crosses whole (it was never checkpointed since it was written, or it arrived by a migration
 * after its last replica).
 */
import { adoptWhole, restoreReplica, type Handover } from '../spacker/handover.ts';

export const RHINO_HANDOVER: Handover = {
  take: (m) => {
    const changed = m.src.changesSinceReplica(m.kg);
    if (m.replica === undefined || changed === undefined) return { kind: 'whole', parcel: m.src.exportKeyGroup(m.kg) };
    if (changed.size === 0) return { kind: 'replica' };
    return { kind: 'change', parcel: m.src.exportChanges(m.kg) };
  },
  install: (m, taken, copies) => {
    if (taken.kind === 'whole') {
      adoptWhole(m, taken.parcel, copies);
      return;
    }
    restoreReplica(m);
    if (taken.kind === 'change') m.dst.applyChanges(m.kg, taken.parcel, copies);
    m.src.release(m.kg);
  },
};
