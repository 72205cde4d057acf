import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { HttpLoadResult, HttpLoadSpec } from './http-load.js';
import { percentile, pool } from './measure.js';
import { threadCpuMs } from './thread-cpu.js';

/** The client side of httpLoad: `concurrency` keep-alive clients, one request in flight each. */
async function run(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  // node:http with keep-alive, one socket per client: fetch (undici's) cost the clients about as much
  // CPU per request as the service spent answering it, on the same two cores.
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const started = performance.now();
  const cpuBefore = threadCpuMs();
  await pool(spec.requests, spec.concurrency, async (i) => {
    const t0 = performance.now();
    const res = await send(agent, spec, spec.body === undefined ? undefined : spec.body.replaceAll('{{i}}', String(i)));
    const text = res.text;
    // The reply is complete once its body has arrived; checking it is the client's own time.
    latencies.push(performance.now() - t0);
    if (res.status !== spec.expectStatus) throw new Error(`${spec.method} ${spec.url}: expected ${spec.expectStatus}, got ${res.status}: ${text}`);
    if (spec.expectItems) {
      const items = (JSON.parse(text) as Record<string, unknown[]>)[spec.expectItems.key];
      if (items?.length !== spec.expectItems.count) throw new Error(`expected ${spec.expectItems.count} ${spec.expectItems.key}, got ${items?.length}`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = threadCpuMs();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: spec.requests,
    concurrency: spec.concurrency,
    seconds,
    perSecond: spec.requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    clientCpuMsPerRequest: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / spec.requests,
  };
}

function send(agent: Agent, spec: HttpLoadSpec, body: string | undefined): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...spec.headers };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    const req = request(spec.url, { method: spec.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

run(workerData as HttpLoadSpec).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
