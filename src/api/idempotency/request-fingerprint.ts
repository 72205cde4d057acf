import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { REQUEST_CONTEXT, type RequestContext } from '../auth/request-context.js';
import { formatMicroversion } from '../compute/microversion.js';
import { MICROVERSION, type RawWithState } from '../compute/request-state.js';

/** Everything a request's effect and reply depend on, besides who sent it and its request id. */
export interface RequestInputs {
  method: string;
  /** Path with query. */
  url: string;
  body: unknown;
  /** The project the caller's token is scoped to: the same user in another project makes, and may see, other things. */
  projectId: string | undefined;
  /** The token a token route acts on (X-Subject-Token): revoking another token is another request. */
  subjectToken: string | undefined;
  /** The compute microversion: it changes what a write accepts and how its reply is rendered. */
  microversion: string | undefined;
}

/**
 * What makes two requests "the same request" for a retry: every input that changes its effect or
 * its reply — method, path with query, body (keys sorted, so that a client re-serialising its JSON
 * still matches), the caller's project scope and the header-borne inputs (X-Subject-Token, the
 * microversion). OpenStack's request id is a *global* id that one operation may carry across several
 * different calls, so the id alone cannot say that a request is a retry; id and fingerprint together
 * can. Only a hash is kept, so the subject token is not stored.
 */
export function requestFingerprint(inputs: RequestInputs): string {
  return createHash('sha256')
    .update(`${inputs.method.toUpperCase()} ${inputs.url}\n`)
    .update(`project ${inputs.projectId ?? ''}\nsubject ${inputs.subjectToken ?? ''}\nmicroversion ${inputs.microversion ?? ''}\n`)
    .update(canonicalJson(inputs.body))
    .digest('hex');
}

/** The fingerprint of a request as it reaches the idempotency guard (after the AuthGuard). */
export function fingerprintOf(request: FastifyRequest & { [REQUEST_CONTEXT]?: RequestContext }): string {
  const raw = request.raw as unknown as RawWithState;
  const subject = request.headers['x-subject-token'];
  const microversion = raw[MICROVERSION];
  return requestFingerprint({
    method: request.method,
    url: request.url,
    body: request.body,
    projectId: request[REQUEST_CONTEXT]?.projectId,
    subjectToken: (Array.isArray(subject) ? subject[0] : subject)?.trim(),
    microversion: microversion ? formatMicroversion(microversion) : undefined,
  });
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
