import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WrongExpectedVersionError } from '../../adapters/event-store/wrong-expected-version.error.js';
import { DomainError, type DomainErrorKind } from '../../domain/shared/domain-error.js';
import { isIdentityPath } from '../identity/identity-path.js';
import { keystoneErrorBody } from '../identity/keystone-error-body.js';
import { isNetworkPath } from '../network/network-path.js';
import { neutronErrorBody } from '../network/neutron-error-body.js';
import { neutronTypeOf } from '../network/neutron-errors.js';
import { novaErrorBody } from './nova-error-body.js';
import { StoredReplyReplay } from '../idempotency/stored-reply-replay.js';

const STATUS: Record<DomainErrorKind, number> = { invalid_input: 400, forbidden: 403, not_found: 404, conflict: 409 };

/** Every error leaves the API in Nova's body form; this is the one place statuses are chosen. */
@Catch()
export class NovaExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Api');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof StoredReplyReplay) return error.send(reply);
    const { status, message } = this.describe(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    // Keystone's clients expect its own body form on its paths (e.g. a malformed JSON login, an unknown route).
    const url = host.switchToHttp().getRequest<FastifyRequest>().url;
    const body = isIdentityPath(url)
      ? keystoneErrorBody(status, message)
      : isNetworkPath(url)
        ? neutronErrorBody(status, message, this.neutronType(error, status))
        : novaErrorBody(status, message);
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  /** Neutron's exception name: the domain error's code (they follow neutron_lib), or the one an API error names. */
  private neutronType(error: unknown, status: number): string | undefined {
    if (error instanceof DomainError) return error.code;
    if (error instanceof WrongExpectedVersionError) return 'HTTPConflict';
    if (status === 403 && error instanceof HttpException && !neutronTypeOf(error)) return 'PolicyNotAuthorized';
    return neutronTypeOf(error);
  }

  private describe(error: unknown): { status: number; message: string } {
    if (error instanceof DomainError) return { status: STATUS[error.kind], message: error.message };
    if (error instanceof WrongExpectedVersionError) {
      return { status: 409, message: 'Another request changed this resource at the same time; retry the request.' };
    }
    if (error instanceof HttpException) {
      const response = error.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
      return { status: error.getStatus(), message: Array.isArray(message) ? message.join('; ') : String(message) };
    }
    return { status: 500, message: 'The server has either erred or is incapable of performing the requested operation.' };
  }
}
