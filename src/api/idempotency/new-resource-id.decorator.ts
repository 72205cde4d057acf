import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { v5 as uuidv5 } from 'uuid';
import { newUuidV7 } from '../../handlers/shared/uuid-v7-generator.js';
import { REQUEST_CONTEXT, type RequestContext } from '../auth/request-context.js';
import { CLIENT_NAMED_REQUEST, REQUEST_ID, type RawWithState } from '../compute/request-state.js';
import { fingerprintOf } from './request-fingerprint.js';

/** virtplane's namespace for ids derived from requests (RFC 9562 name-based ids). */
const REQUEST_NAMESPACE = '6f1c3a52-9e0b-4c1e-8a8e-2f4b9d7e51a0';

/**
 * The id for the resource a create makes. When the client named its request, the id is derived
 * from the caller, the request id and the request itself: a retry of that create (even after a
 * crash lost the first reply) names the same resource, finds it exists, and answers with it instead
 * of making a second one. Otherwise a fresh time-ordered id.
 */
export function newResourceId(request: FastifyRequest & { [REQUEST_CONTEXT]?: RequestContext }): { id: string; derived: boolean } {
  const raw = request.raw as unknown as RawWithState;
  const caller = request[REQUEST_CONTEXT];
  if (!raw[CLIENT_NAMED_REQUEST] || !raw[REQUEST_ID] || !caller) return { id: newUuidV7(), derived: false };
  const name = [caller.projectId, caller.userId, raw[REQUEST_ID], fingerprintOf(request)].join('\n');
  return { id: uuidv5(name, REQUEST_NAMESPACE), derived: true };
}

export interface NewResourceIdValue {
  id: string;
  /** True when the id came from the request: an existing resource with it is this request's own. */
  derived: boolean;
}

export const NewResourceId = createParamDecorator(
  (_: unknown, context: ExecutionContext): NewResourceIdValue => newResourceId(context.switchToHttp().getRequest()),
);
