import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthenticationFailedError } from '../../identity/authentication-failed.error.js';
import { InvalidTokenError } from '../../identity/invalid-token.error.js';
import { keystoneErrorBody } from './keystone-error-body.js';
import { StoredReplyReplay } from '../idempotency/stored-reply-replay.js';

const UNAUTHORIZED = 'The request you have made requires authentication.';

/**
 * Errors of the identity API leave in Keystone's body form (the rest of the API uses Nova's). Bound
 * to the identity controllers, so it also catches what the global AuthGuard throws on their routes.
 */
@Catch()
export class KeystoneExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Identity');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof StoredReplyReplay) return error.send(reply);
    const { status, message } = this.describe(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    else if (error instanceof AuthenticationFailedError || error instanceof InvalidTokenError) {
      // The reason, never the password: enough to tell an operator why a login failed.
      this.logger.warn(`authentication refused: ${error.reason}`);
    }
    void reply.status(status).header('content-type', 'application/json').send(keystoneErrorBody(status, message));
  }

  private describe(error: unknown): { status: number; message: string } {
    if (error instanceof AuthenticationFailedError || error instanceof InvalidTokenError) return { status: 401, message: UNAUTHORIZED };
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
      return { status: error.getStatus(), message: Array.isArray(message) ? message.join('; ') : String(message) };
    }
    return { status: 500, message: 'An unexpected error prevented the server from fulfilling your request.' };
  }
}
