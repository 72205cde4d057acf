import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { MissingRequestContextError } from './missing-request-context.error.js';
import { CALLER_TOKEN, REQUEST_CONTEXT, type RequestContext } from './request-context.js';
import type { VerifiedToken } from './verified-token.js';

/** The caller's RequestContext, which the global AuthGuard put on the request: `list(@Ctx() ctx: RequestContext)`. */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<Record<symbol, RequestContext | undefined>>();
  const ctx = request[REQUEST_CONTEXT];
  // Only a @Public() route (or an unscoped one) gets here without one: a wiring mistake, not the client's.
  if (!ctx) throw new MissingRequestContextError();
  return ctx;
});

/** The caller's validated token, scoped or not; for routes marked @AllowUnscoped(). */
export const CallerToken = createParamDecorator((_: unknown, context: ExecutionContext): VerifiedToken => {
  const request = context.switchToHttp().getRequest<Record<symbol, VerifiedToken | undefined>>();
  const token = request[CALLER_TOKEN];
  if (!token) throw new MissingRequestContextError();
  return token;
});
