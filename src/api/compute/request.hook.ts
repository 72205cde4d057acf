import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { novaErrorBody } from '../errors/nova-error-body.js';
import { microversionResponseHeaders, negotiateMicroversion } from './microversion.js';
import { COMPUTE_REQUEST_ID_HEADER, REQUEST_ID_HEADER, resolveRequestId } from './request-id.js';
import { CLIENT_NAMED_REQUEST, MICROVERSION, REQUEST_ID, type RawWithState } from './request-state.js';

/** Nova's osapi_max_request_body_size default (112 KiB): larger bodies are refused with 413. */
export const MAX_COMPUTE_BODY_BYTES = 114_688;

/** The path of a request target, without its query. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** The microversioned part of the compute API (version discovery at /compute is not). */
export function isMicroversionedPath(url: string | undefined): boolean {
  const path = pathOf(url);
  return path === '/compute/v2.1' || path.startsWith('/compute/v2.1/');
}

function isComputePath(path: string): boolean {
  return path === '/compute' || path.startsWith('/compute/');
}

/**
 * Fastify `onRequest` hook, run on every request (unknown paths too) before routing's handler,
 * guards and body parsing:
 * - gives it a request id (the client's X-OpenStack-Request-Id when it is `req-<uuid>`), echoed in
 *   x-openstack-request-id and, on the compute API, x-compute-request-id;
 * - on /compute/v2.1, negotiates the microversion (400 malformed, 406 out of range; Nova's
 *   bodies) and echoes it with Vary;
 * - on /compute, refuses bodies over Nova's size limit with 413 before reading them.
 * A hook rather than a Nest middleware: middleware runs through @fastify/middie and Nest's path
 * matching on every request, which costs more than the work itself.
 */
export function onRequestHook(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const req = request.raw;
  const res = reply.raw;
  const state = req as typeof req & RawWithState;
  const { requestId, named } = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
  state[REQUEST_ID] = requestId;
  state[CLIENT_NAMED_REQUEST] = named;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const path = pathOf(req.url);
  if (!isComputePath(path)) return done();
  res.setHeader(COMPUTE_REQUEST_ID_HEADER, requestId);

  if (isMicroversionedPath(path)) {
    const negotiated = negotiateMicroversion(req.headers);
    if (!negotiated.ok) {
      // Nova names no fault for 406: its body is a computeFault carrying code 406.
      const body = negotiated.status === 406 ? { computeFault: { code: 406, message: negotiated.message } } : novaErrorBody(400, negotiated.message);
      return refuse(reply, negotiated.status, body);
    }
    state[MICROVERSION] = negotiated.version;
    const headers = microversionResponseHeaders(negotiated.version);
    for (const name in headers) res.setHeader(name, headers[name]!);
  }

  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > MAX_COMPUTE_BODY_BYTES) {
    return refuse(reply, 413, novaErrorBody(413, 'Request is too large.'));
  }
  done();
}

function refuse(reply: FastifyReply, status: number, body: unknown): void {
  // The body is never read: close the connection rather than drain what the client still sends.
  if (status === 413) reply.header('connection', 'close');
  void reply.code(status).header('content-type', 'application/json').send(JSON.stringify(body));
}
