import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { novaErrorBody } from '../errors/nova-error-body.js';
import { microversionResponseHeaders, negotiateMicroversion } from './microversion.js';
import { COMPUTE_REQUEST_ID_HEADER, REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';
import { CLIENT_NAMED_REQUEST, MICROVERSION, REQUEST_ID } from './request-state.js';

/** Nova's osapi_max_request_body_size default (112 KiB): larger bodies are refused with 413. */
export const MAX_COMPUTE_BODY_BYTES = 114_688;

/** The microversioned part of the compute API (version discovery at /compute is not). */
export function isMicroversionedPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]!;
  return path === '/compute/v2.1' || path.startsWith('/compute/v2.1/');
}

function isComputePath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]!;
  return path === '/compute' || path.startsWith('/compute/');
}

/**
 * Runs before routing, guards and body parsing, on every request:
 * - gives it a request id (the client's X-OpenStack-Request-Id when it is `req-<uuid>`), echoed in
 *   x-openstack-request-id and, on the compute API, x-compute-request-id;
 * - on /compute/v2.1, negotiates the microversion (400 malformed, 406 out of range; Nova's
 *   bodies) and echoes it with Vary;
 * - on /compute, refuses bodies over Nova's size limit with 413 before reading them.
 */
@Injectable()
export class RequestMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  use(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
    const state = req as IncomingMessage & { [REQUEST_ID]?: string; [MICROVERSION]?: unknown; [CLIENT_NAMED_REQUEST]?: boolean; originalUrl?: string };
    // Under a route pattern the middleware layer rewrites req.url; originalUrl is what the client asked.
    const url = state.originalUrl ?? req.url;
    // Nest may run a middleware once per matching route pattern: the first decision stands.
    const requestId = state[REQUEST_ID] ?? resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    state[REQUEST_ID] = requestId;
    state[CLIENT_NAMED_REQUEST] = requestId === firstHeader(req.headers[REQUEST_ID_HEADER])?.trim();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const compute = isComputePath(url);
    if (compute) res.setHeader(COMPUTE_REQUEST_ID_HEADER, requestId);

    if (isMicroversionedPath(url) && state[MICROVERSION] === undefined) {
      const negotiated = negotiateMicroversion(req.headers);
      if (!negotiated.ok) {
        // Nova names no fault for 406: its body is a computeFault carrying code 406.
        const body = negotiated.status === 406 ? { computeFault: { code: 406, message: negotiated.message } } : novaErrorBody(400, negotiated.message);
        return send(res, negotiated.status, body);
      }
      state[MICROVERSION] = negotiated.version;
      for (const [name, value] of Object.entries(microversionResponseHeaders(negotiated.version))) res.setHeader(name, value);
    }

    if (compute) {
      const length = Number(req.headers['content-length']);
      if (Number.isFinite(length) && length > MAX_COMPUTE_BODY_BYTES) {
        return send(res, 413, novaErrorBody(413, 'Request is too large.'));
      }
    }
    next();
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  // The body is never read: close the connection rather than drain what the client still sends.
  if (status === 413) res.setHeader('connection', 'close');
  res.end(JSON.stringify(body));
}
