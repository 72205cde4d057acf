import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-openstack-request-id';
export const COMPUTE_REQUEST_ID_HEADER = 'x-compute-request-id';

const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for Nova's form, `req-<uuid>` (lower-case hex, as oslo.context makes them). */
export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

/**
 * The id of a request: the client's X-OpenStack-Request-Id when it has Nova's form (so a caller can
 * follow its own id through the instance actions and the audit log; `named`, so a retry can be
 * recognised), else a fresh one. A malformed one is replaced, never echoed: it would end up in
 * events and logs.
 */
export function resolveRequestId(sent: string | string[] | undefined, newUuid: () => string = randomUUID): { requestId: string; named: boolean } {
  const value = (Array.isArray(sent) ? sent[0] : sent)?.trim();
  return value !== undefined && isRequestId(value) ? { requestId: value, named: true } : { requestId: `req-${newUuid()}`, named: false };
}
