import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError, statusBody } from './kube-errors.js';

export interface RawResponse {
  status: number;
  body: unknown;
}

/**
 * One request outside the generated clients (KubeVirt's action subresources are in none of them),
 * with the kubeconfig's TLS and credentials. A non-2xx answer rejects with a KubeApiError carrying
 * the server's Status; no answer within `timeoutMs` rejects with status 0. A body goes as JSON, or
 * as `contentType` (a PATCH's merge-patch+json, say).
 */
export async function rawRequest(config: KubeConfig, method: string, path: string, body: unknown, timeoutMs: number, contentType = 'application/json'): Promise<RawResponse> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeApiError(0, 'Unreachable', 'kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  const options: https.RequestOptions = { method, headers: {} };
  await config.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  options.headers = { ...options.headers, Accept: 'application/json', ...(payload !== undefined ? { 'Content-Type': contentType } : {}) };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<RawResponse>((resolve, reject) => {
    const request = transport.request(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => reject(new KubeApiError(0, 'Unreachable', error.message, { cause: error })));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text for the message
        }
        if (status >= 200 && status < 300) return resolve({ status, body: parsed });
        const s = statusBody(parsed);
        reject(new KubeApiError(status, s.reason ?? '', s.message ?? `HTTP ${status}`));
      });
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    request.on('error', (error) => reject(new KubeApiError(0, 'Unreachable', `${method} ${path}: ${error.message}`, { cause: error })));
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}
