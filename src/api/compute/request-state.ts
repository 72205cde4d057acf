import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { MIN_MICROVERSION, type Microversion } from './microversion.js';

/** Where the request hook (request.hook.ts) leaves its findings on the raw (Node) request. */
export const REQUEST_ID = Symbol('virtplane:request-id');
export const MICROVERSION = Symbol('virtplane:microversion');
/** True when the request id is the client's own X-OpenStack-Request-Id (so a retry can be recognised). */
export const CLIENT_NAMED_REQUEST = Symbol('virtplane:client-named-request');

export type RawWithState = { [REQUEST_ID]?: string; [MICROVERSION]?: Microversion; [CLIENT_NAMED_REQUEST]?: boolean };

function raw(context: ExecutionContext): RawWithState {
  return context.switchToHttp().getRequest<FastifyRequest>().raw as unknown as RawWithState;
}

/** The request's id (`req-<uuid>`), the one echoed in x-openstack-request-id and recorded by commands. */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const id = raw(context)[REQUEST_ID];
  if (!id) throw new Error('No request id: the request hook is not installed.');
  return id;
});

/** The microversion the request runs at (negotiated by the request hook; 2.1 when none was asked). */
export const ApiVersion = createParamDecorator(
  (_: unknown, context: ExecutionContext): Microversion => raw(context)[MICROVERSION] ?? MIN_MICROVERSION,
);
