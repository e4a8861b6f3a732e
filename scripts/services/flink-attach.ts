/**
 * `npm run services -- flink up --flink-rest URL`: attach to a Flink cluster this machine did not start (the
 * multi-machine path). The cluster must answer GET /overview (bounded); its URL is recorded in `dir`
 * (flink-attached.json) and becomes the default of spacker.engine=flink runs; `flink down` only forgets it.
 */
import { mkdirSync } from 'node:fs';
import { FlinkRest, parseRestUrl } from '../../experiments/src/io/flink/rest-client.ts';
import { readFlinkState, writeFlinkAttached, type AttachedFlinkCluster } from './state.ts';

/**
 * @param others the launcher options also given (they shape a cluster started here: refused with --flink-rest)
 * @throws naming the URL when it does not parse or the cluster does not answer; when a cluster started here is
 *   recorded (stop it first); when options that shape a local cluster are given too
 */
export async function attachFlinkCluster(dir: string, input: string, others: readonly string[] = []): Promise<AttachedFlinkCluster> {
  if (others.length > 0) throw new Error(`--flink-rest attaches to a running cluster: ${others.map((o) => `--${o}`).join(', ')} would shape one this machine starts; give one or the other`);
  const started = readFlinkState(dir);
  if (started !== undefined) throw new Error(`a cluster started here is recorded (${started.restUrl}); 'npm run services -- flink down' first, then attach to ${input}`);
  const restUrl = parseRestUrl(input);
  const o = await new FlinkRest(restUrl, { timeoutMs: 5000 }).overview();
  const attached: AttachedFlinkCluster = { restUrl, version: o['flink-version'], taskManagers: o.taskmanagers, slotsTotal: o['slots-total'], attachedAt: new Date().toISOString() };
  mkdirSync(dir, { recursive: true });
  writeFlinkAttached(dir, attached);
  return attached;
}
