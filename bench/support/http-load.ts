import { Worker } from 'node:worker_threads';

/** One kind of request, sent `requests` times; `{{i}}` in the body becomes the request's index. */
export interface HttpLoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  requests: number;
  concurrency: number;
  expectStatus: number;
  /** For a list reply: how many items its `key` array must hold. */
  expectItems?: { key: string; count: number };
}

export interface HttpLoadResult {
  requests: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** The clients' own CPU (their thread's user + system) per request, ms; null without /proc. */
  clientCpuMsPerRequest: number | null;
}

/**
 * Runs the clients in a worker thread, not on the service's event loop: the clients of a real
 * service are other processes, and a client that shares the loop (sending, parsing replies, timing)
 * would charge its own work to the service and queue its timings behind the service's.
 */
export function httpLoad(spec: HttpLoadSpec): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load.worker.js', import.meta.url), { workerData: spec });
    let settled = false;
    worker.once('message', (message: { ok: true; result: HttpLoadResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the HTTP load worker exited with ${code} before reporting`));
    });
  });
}
