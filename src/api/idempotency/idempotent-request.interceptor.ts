import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, of, finalize, type Observable } from 'rxjs';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { APP_CONFIG, EVENT_STORE } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { REQUEST_CONTEXT, type RequestContext } from '../auth/request-context.js';
import { CLIENT_NAMED_REQUEST, REQUEST_ID, type RawWithState } from '../compute/request-state.js';
import { NO_REPLY_BODY, SECRET_IN_REPLY } from './no-reply-body.decorator.js';
import { requestFingerprint } from './request-fingerprint.js';
import { RequestReplies, type RequestKey, type StoredReply } from './request-replies.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Tells a client (and a test) that the reply is the stored one of an earlier identical request. */
export const REPLAYED_HEADER = 'x-virtplane-replayed';

/**
 * A retried write gets the effect of one request, not two. A write is a retry when the same user
 * sends the same request (method, path, body) under the same X-OpenStack-Request-Id:
 * - after the first finished: its stored reply is sent again (2xx replies only; a refusal changed
 *   nothing, so running the retry is the honest answer);
 * - while the first is still running here: the retry waits for it, then gets its reply;
 * - after a crash that lost the reply: a write whose reply is its status alone is answered from the
 *   audit log's evidence; a create derives its resource's id from the request (see
 *   idempotentResourceId) and answers with the resource the first attempt made.
 */
@Injectable()
export class IdempotentRequestInterceptor implements NestInterceptor {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly replies: RequestReplies,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { [REQUEST_CONTEXT]?: RequestContext }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const raw = request.raw as unknown as RawWithState;
    const caller = request[REQUEST_CONTEXT];
    if (!WRITES.has(request.method) || !raw[CLIENT_NAMED_REQUEST] || !raw[REQUEST_ID] || !caller) return next.handle();
    if (this.reflector.get<boolean>(SECRET_IN_REPLY, context.getHandler()) === true) return next.handle();

    const key: RequestKey = { userId: caller.userId, requestId: raw[REQUEST_ID], fingerprint: requestFingerprint(request.method, request.url, request.body) };
    const slot = `${key.userId}\n${key.requestId}\n${key.fingerprint}`;
    await this.running.get(slot);

    const stored = await this.replies.find(key);
    if (stored) return of(this.replay(reply, stored));
    const bodiless = this.reflector.get<boolean>(NO_REPLY_BODY, context.getHandler()) === true;
    const status = this.declaredStatus(context, request.method);
    if (bodiless && (await this.lostReplyOfEffect(key))) {
      const recovered: StoredReply = { status, location: null, body: null };
      await this.replies.save(key, recovered);
      return of(this.replay(reply, recovered));
    }

    let release!: () => void;
    this.running.set(slot, new Promise<void>((resolve) => (release = resolve)));
    return next.handle().pipe(
      mergeMap((body: unknown) =>
        from(
          (async () => {
            const sent = reply.statusCode !== 200 ? reply.statusCode : status;
            if (sent >= 200 && sent < 300) {
              const location = reply.getHeader('location');
              await this.replies.save(key, { status: sent, location: typeof location === 'string' ? location : null, body: body === undefined ? null : JSON.stringify(body) });
            }
            return body;
          })(),
        ),
      ),
      finalize(() => {
        this.running.delete(slot);
        release();
      }),
    );
  }

  private replay(reply: FastifyReply, stored: StoredReply): unknown {
    void reply.status(stored.status).header(REPLAYED_HEADER, 'true');
    if (stored.location) void reply.header('location', stored.location);
    return stored.body === null ? undefined : JSON.parse(stored.body);
  }

  /** The audit log, caught up with the event store, shows an effect of this request. */
  private async lostReplyOfEffect(key: RequestKey): Promise<boolean> {
    await this.runner.waitForPosition(await this.store.headPosition(), this.config.READ_YOUR_WRITES_TIMEOUT_MS);
    return this.replies.tookEffect(key.userId, key.requestId);
  }

  private declaredStatus(context: ExecutionContext, method: string): number {
    return this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (method === 'POST' ? 201 : 200);
  }
}
