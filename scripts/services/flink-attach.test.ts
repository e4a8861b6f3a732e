// `flink up --flink-rest URL` against a loopback stand-in answering /overview with a body recorded from a real
// Flink 1.20.5 cluster: recorded as the default URL of spacker.engine=flink runs; a URL that does not answer,
// does not parse, a cluster started here, or options that shape a local cluster are one error, nothing recorded.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachFlinkCluster } from './flink-attach.ts';
import { clearFlinkAttached, readFlinkAttached, recordedFlinkRestUrl } from './state.ts';
import { freePort } from './servers.ts';

const OVERVIEW = readFileSync(new URL('../../experiments/src/io/flink/fixtures/overview.json', import.meta.url), 'utf8');

describe('services flink up --flink-rest URL (attach)', () => {
  let server: Server;
  let url = '';
  let dir = '';
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/overview') res.writeHead(200, { 'Content-Type': 'application/json' }).end(OVERVIEW);
      else res.writeHead(404).end('{"errors":["Not found."]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'spacker-attach-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('records the answering cluster (version, TaskManagers, slots) as the default REST URL; detaching forgets it', async () => {
    const o = JSON.parse(OVERVIEW) as Record<string, unknown>;
    const a = await attachFlinkCluster(dir, `${url}/`);
    assert.equal(a.restUrl, url);
    assert.equal(a.version, o['flink-version']);
    assert.equal(a.taskManagers, o.taskmanagers);
    assert.equal(a.slotsTotal, o['slots-total']);
    assert.deepEqual(readFlinkAttached(dir), a);
    assert.equal(recordedFlinkRestUrl(dir), url);
    clearFlinkAttached(dir);
    assert.equal(recordedFlinkRestUrl(dir), undefined);
  });

  it('a URL that does not answer, or does not parse: one error naming it, nothing recorded', async () => {
    const port = await freePort();
    await assert.rejects(attachFlinkCluster(dir, `http://127.0.0.1:${port}`), new RegExp(`cannot reach the Flink cluster at http://127\\.0\\.0\\.1:${port}`));
    await assert.rejects(attachFlinkCluster(dir, 'localhost:8081'), /invalid Flink REST URL "localhost:8081": expected http\(s\):\/\/HOST:PORT/);
    assert.equal(readFlinkAttached(dir), undefined);
  });

  it('refuses launcher options beside --flink-rest, and attaching while a cluster started here is recorded', async () => {
    await assert.rejects(attachFlinkCluster(dir, url, ['task-managers', 'slots']), /--flink-rest attaches to a running cluster: --task-managers, --slots would shape one/);
    writeFileSync(join(dir, 'flink.json'), JSON.stringify({ dir, restPort: 1, restUrl: 'http://127.0.0.1:1', processes: [{ pid: 1, role: 'jobmanager' }] }));
    try {
      await assert.rejects(attachFlinkCluster(dir, url), /a cluster started here is recorded \(http:\/\/127\.0\.0\.1:1\); 'npm run services -- flink down' first/);
    } finally {
      rmSync(join(dir, 'flink.json'));
    }
    assert.ok(!existsSync(join(dir, 'flink-attached.json')));
  });
});
