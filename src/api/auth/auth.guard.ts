import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { InvalidTokenError } from '../../identity/invalid-token.error.js';
import { ALLOWS_UNSCOPED } from './allow-unscoped.decorator.js';
import { AuthenticationRequiredError } from './authentication-required.error.js';
import { ProjectScopeRequiredError } from './project-scope-required.error.js';
import { IS_PUBLIC } from './public.decorator.js';
import { publicUrl } from './public-url.js';
import { CALLER_TOKEN, REQUEST_CONTEXT, type RequestContext } from './request-context.js';
import { TokenService } from './token.service.js';
import type { VerifiedToken } from './verified-token.js';

interface RouteAuth {
  isPublic: boolean;
  allowsUnscoped: boolean;
}

/**
 * Installed globally: every route needs a valid X-Auth-Token unless marked @Public(), and a
 * project-scoped one unless marked @AllowUnscoped(). Leaves the RequestContext on the request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly challenge: string;
  // Keyed by handler, then class: a handler a controller inherits may sit under another class's decorators.
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAuth>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // keystonemiddleware's challenge: tells a client where to get a token.
    this.challenge = `Keystone uri="${publicUrl(config)}/identity"`;
  }

  /** A route's decorators, read once per handler and class rather than on every request. */
  private routeOf(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byClass = this.routes.get(handler);
    if (!byClass) this.routes.set(handler, (byClass = new WeakMap()));
    let route = byClass.get(controller);
    if (!route) {
      const targets = [handler, controller];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) === true,
        allowsUnscoped: this.reflector.getAllAndOverride<boolean>(ALLOWS_UNSCOPED, targets) === true,
      };
      byClass.set(controller, route);
    }
    return route;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routeOf(context);
    if (route.isPublic) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest & Record<symbol, unknown>>();
    const header = request.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    let verified: VerifiedToken;
    try {
      if (!token) throw new InvalidTokenError('malformed');
      verified = await this.tokens.verify(token.trim());
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      void context.switchToHttp().getResponse<FastifyReply>().header('www-authenticate', this.challenge);
      throw new AuthenticationRequiredError();
    }
    request[CALLER_TOKEN] = verified;
    if (verified.project) {
      request[REQUEST_CONTEXT] = requestContext(verified);
    } else if (!route.allowsUnscoped) {
      throw new ProjectScopeRequiredError();
    }
    return true;
  }
}

function requestContext({ claims, user, project }: VerifiedToken): RequestContext {
  return {
    userId: user.id,
    userName: user.name,
    projectId: project!.id,
    projectName: project!.name,
    roles: claims.roles,
    isAdmin: claims.roles.includes('admin'),
    tokenId: claims.tokenId,
    expiresAt: new Date(claims.expiresAt),
  };
}
