/**
 * The loopback servers `npm run services -- up` started (its port files under .cache/services), for keys left
 * empty: a one-click Kafka family finds its broker without being told. Reads files only.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidConfigError } from '../../../engine/src/index.ts';

const SERVICES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../.cache/services');

/** `127.0.0.1:<port>` of the local Kafka, or a clear error naming `key` and how to start it. */
export function localKafka(key: string): string {
  try {
    const port = Number(readFileSync(join(SERVICES_DIR, 'kafka.port'), 'utf8').trim());
    if (Number.isInteger(port) && port > 0) return `127.0.0.1:${port}`;
  } catch {
    // reported below
  }
  throw new InvalidConfigError(key, '', "HOST:PORT of a Kafka broker; it is empty and no local broker is recorded (start one with 'npm run services -- up', or set the key)");
}
