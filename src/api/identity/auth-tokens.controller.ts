import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Post, Query, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { authenticatePassword, authorize } from '../../identity/authenticate.js';
import { IdentityDirectory } from '../../identity/identity-directory.js';
import { InvalidTokenError } from '../../identity/invalid-token.error.js';
import { serviceCatalog, type CatalogEntry } from '../../identity/service-catalog.js';
import { AllowUnscoped } from '../auth/allow-unscoped.decorator.js';
import { CallerToken } from '../auth/ctx.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import { TokenService } from '../auth/token.service.js';
import type { VerifiedToken } from '../auth/verified-token.js';
import { parseAuthRequest } from './auth-request.schema.js';
import { KeystoneExceptionFilter } from './keystone-exception.filter.js';
import { IdentityActionForbiddenError, MissingSubjectTokenError, SubjectTokenNotFoundError } from './keystone-errors.js';
import { projectListEntry, tokenBody } from './token-body.js';

/** Keystone's /v3/auth: issue, validate (GET and HEAD) and revoke tokens; the caller's projects and catalog. */
@Controller('identity/v3/auth')
@UseFilters(KeystoneExceptionFilter)
export class AuthTokensController {
  private readonly catalog: CatalogEntry[];
  private readonly identityUrl: string;

  constructor(
    private readonly directory: IdentityDirectory,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const base = publicUrl(config);
    this.catalog = serviceCatalog(base);
    this.identityUrl = `${base}/identity/v3`;
  }

  @Public()
  @Post('tokens')
  @HttpCode(HttpStatus.CREATED)
  async issue(@Body() body: unknown, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const { identity, scope } = parseAuthRequest(body);
    let issued: VerifiedToken;
    if (identity.method === 'password') {
      const user = authenticatePassword(this.directory, identity.user, identity.password);
      issued = this.tokens.issue(authorize(this.directory, user, scope), ['password']);
    } else {
      // Rescoping: the new token is for the same user and never outlives the one presented.
      const presented = await this.tokens.verify(identity.tokenId);
      const methods = [...new Set(['token', ...presented.claims.methods])];
      issued = this.tokens.issue(authorize(this.directory, presented.user, scope), methods, presented.claims.expiresAt);
    }
    void reply.header('x-subject-token', issued.token);
    return tokenBody(issued, 'nocatalog' in query ? null : this.catalog);
  }

  /** HEAD is answered by Fastify from this route, with the same status and headers and no body. */
  @AllowUnscoped()
  @Get('tokens')
  async validate(
    @CallerToken() caller: VerifiedToken,
    @Headers('x-subject-token') subject: string | undefined,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const verified = await this.subject(caller, subject, 'identity:validate_token');
    void reply.header('x-subject-token', verified.token);
    return tokenBody(verified, 'nocatalog' in query ? null : this.catalog);
  }

  @AllowUnscoped()
  @Delete('tokens')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@CallerToken() caller: VerifiedToken, @Headers('x-subject-token') subject: string | undefined): Promise<void> {
    const verified = await this.subject(caller, subject, 'identity:revoke_token');
    await this.tokens.revoke(verified);
  }

  @AllowUnscoped()
  @Get('projects')
  projects(@CallerToken() caller: VerifiedToken) {
    return {
      projects: this.directory.projectsOf(caller.user).map((p) => projectListEntry(p, this.identityUrl)),
      links: { self: `${this.identityUrl}/auth/projects`, previous: null, next: null },
    };
  }

  @AllowUnscoped()
  @Get('catalog')
  catalogOf(@CallerToken() caller: VerifiedToken) {
    if (!caller.project) throw new IdentityActionForbiddenError('identity:get_auth_catalog');
    return { catalog: this.catalog, links: { self: `${this.identityUrl}/auth/catalog`, previous: null, next: null } };
  }

  /** The subject token, checked; only its own user or an admin may look at or revoke it (Keystone's policy). */
  private async subject(caller: VerifiedToken, subject: string | undefined, action: string): Promise<VerifiedToken> {
    if (!subject) throw new MissingSubjectTokenError();
    let verified: VerifiedToken;
    try {
      verified = await this.tokens.verify(subject.trim());
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new SubjectTokenNotFoundError();
      throw error;
    }
    if (verified.user.id !== caller.user.id && !caller.claims.roles.includes('admin')) throw new IdentityActionForbiddenError(action);
    return verified;
  }
}
