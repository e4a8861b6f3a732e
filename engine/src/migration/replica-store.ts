/**
 * Standby replicas of key groups, one store per TaskManager (the reference's ReplicaStateManager). Each
 * periodic checkpoint puts the dirty replicated key groups into every TaskManager's store; a destination
 * restores a clean replicated key group from its own TaskManager's store instead of receiving it.
 * Snapshots are immutable, so every store keeps the same bytes object (copies would only cost memory in one
 * process); restoring from a replica always copies. Imports nothing.
 */

export class ReplicaStore {
  /** Per operator: key group -> latest snapshot bytes. */
  private readonly byOperator = new Map<string, Map<number, Uint8Array>>();
  private held = 0;

  constructor(readonly taskManager: number) {}

  put(operator: string, kg: number, bytes: Uint8Array): void {
    let m = this.byOperator.get(operator);
    if (m === undefined) this.byOperator.set(operator, (m = new Map()));
    this.held += bytes.byteLength - (m.get(kg)?.byteLength ?? 0);
    m.set(kg, bytes);
  }

  get(operator: string, kg: number): Uint8Array | undefined {
    return this.byOperator.get(operator)?.get(kg);
  }

  /** Bytes of replicas held here. */
  get bytes(): number {
    return this.held;
  }
}
