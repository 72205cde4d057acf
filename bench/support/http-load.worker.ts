import { parentPort, workerData } from 'node:worker_threads';
import type { HttpLoadResult, HttpLoadSpec } from './http-load.js';
import { percentile, pool } from './measure.js';

/** The client side of httpLoad: keep-alive fetch clients, `concurrency` requests in flight. */
async function run(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  const started = performance.now();
  await pool(spec.requests, spec.concurrency, async (i) => {
    const t0 = performance.now();
    const res = await fetch(spec.url, {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body === undefined ? {} : { body: spec.body.replaceAll('{{i}}', String(i)) }),
    });
    const text = await res.text();
    // The reply is complete once its body has arrived; checking it is the client's own time.
    latencies.push(performance.now() - t0);
    if (res.status !== spec.expectStatus) throw new Error(`${spec.method} ${spec.url}: expected ${spec.expectStatus}, got ${res.status}: ${text}`);
    if (spec.expectItems) {
      const items = (JSON.parse(text) as Record<string, unknown[]>)[spec.expectItems.key];
      if (items?.length !== spec.expectItems.count) throw new Error(`expected ${spec.expectItems.count} ${spec.expectItems.key}, got ${items?.length}`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: spec.requests,
    concurrency: spec.concurrency,
    seconds,
    perSecond: spec.requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
  };
}

run(workerData as HttpLoadSpec).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
