import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { APP_CONFIG, EVENT_STORE } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { REQUEST_CONTEXT, type RequestContext } from '../auth/request-context.js';
import { CLIENT_NAMED_REQUEST, REQUEST_ID, type RawWithState } from '../compute/request-state.js';
import { NO_REPLY_BODY, SECRET_IN_REPLY } from './no-reply-body.decorator.js';
import { fingerprintOf } from './request-fingerprint.js';
import { RequestReplies, type RequestKey, type StoredReply } from './request-replies.js';
import { StoredReplyReplay } from './stored-reply-replay.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A named write this process is running: its reply is stored when it is sent (see onSend). */
const RUNNING = Symbol('virtplane:running-named-write');

interface RunningWrite {
  key: RequestKey;
  release(): void;
}

type Raw = RawWithState & { [RUNNING]?: RunningWrite };

/**
 * A retried write gets the effect of one request, not two. A write is a retry when the same user
 * sends the same request (method, path, body, project scope, X-Subject-Token, microversion: see
 * requestFingerprint) under the same X-OpenStack-Request-Id. The same id on a different request is
 * a new request (OpenStack's request id is global: one operation carries it across calls), so it
 * runs rather than being refused. For a retry:
 * - after the first finished: its stored reply is sent again (2xx replies only; a refusal changed
 *   nothing, so running the retry is the honest answer);
 * - while the first is still running here: the retry waits for it, then gets its reply;
 * - after a crash that lost the reply: a write whose reply is its status alone is answered from the
 *   audit log's evidence of this request (its events carry its fingerprint; see tookEffect); a
 *   create derives its resource's id from the request (see idempotentResourceId) and answers with
 *   the resource the first attempt made.
 * A guard (after the AuthGuard, which names the caller) and a Fastify onSend hook rather than an
 * interceptor: any interceptor makes Nest run every request of its routes through rxjs, and most
 * requests (reads, writes the client did not name) need nothing of this. A replay is thrown as a
 * StoredReplyReplay, which the exception filters send.
 */
@Injectable()
export class IdempotentRequestGuard implements CanActivate {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly replies: RequestReplies,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { [REQUEST_CONTEXT]?: RequestContext }>();
    const raw = request.raw as unknown as Raw;
    if (!raw[CLIENT_NAMED_REQUEST] || !WRITES.has(request.method)) return true;
    const caller = request[REQUEST_CONTEXT];
    if (!caller || !raw[REQUEST_ID]) return true;
    if (this.reflector.get<boolean>(SECRET_IN_REPLY, context.getHandler()) === true) return true;
    const fingerprint = fingerprintOf(request);
    // The commands the handler sends record it (CommandWriter.meta), so that the audit log's
    // evidence of an effect names this request, not just its (global, shared) request id.
    request[REQUEST_CONTEXT] = { ...caller, requestFingerprint: fingerprint };
    return this.admit(context, request, raw, { userId: caller.userId, requestId: raw[REQUEST_ID], fingerprint });
  }

  /** Lets the first attempt of a named write run (its reply is stored when sent); answers a retry with the stored reply. */
  private async admit(context: ExecutionContext, request: FastifyRequest, raw: Raw, key: RequestKey): Promise<boolean> {
    const slot = `${key.userId}\n${key.requestId}\n${key.fingerprint}`;
    // Check and claim with no await between them: identical requests arriving together would
    // otherwise all pass the check during the stored-reply lookup below, and all run. After a wait
    // the check is made again, since one of the other waiters may have claimed the slot first.
    // The claim is this process's: API processes sharing a database do not see each other's, so
    // concurrent duplicates sent to two processes can both run (a retry after the first's reply was
    // stored is still answered from the table by any process; creates are made once either way, by
    // their derived resource ids).
    for (let running = this.running.get(slot); running !== undefined; running = this.running.get(slot)) await running;
    const release = this.claim(slot);
    // Whatever happens from here (replayed, refused, sent, the client gone), a waiting retry goes on.
    context.switchToHttp().getResponse<FastifyReply>().raw.once('close', release);

    try {
      const stored = await this.replies.find(key);
      if (stored) throw new StoredReplyReplay(stored);
      if (this.reflector.get<boolean>(NO_REPLY_BODY, context.getHandler()) === true && (await this.lostReplyOfEffect(key))) {
        const recovered: StoredReply = { status: this.declaredStatus(context, request.method), location: null, body: null };
        await this.replies.save(key, recovered);
        throw new StoredReplyReplay(recovered);
      }
    } catch (error) {
      release();
      throw error;
    }
    raw[RUNNING] = { key, release };
    return true;
  }

  /** Marks the slot as running in this process; the returned release (idempotent) lets its waiters go on. */
  private claim(slot: string): () => void {
    let resolve!: () => void;
    const gate = new Promise<void>((r) => (resolve = r));
    this.running.set(slot, gate);
    return () => {
      if (this.running.get(slot) === gate) this.running.delete(slot);
      resolve();
    };
  }

  /** Fastify onSend hook: stores the 2xx reply of a named write before it is sent, then lets its retries go on. */
  readonly onSend = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void): void => {
    const raw = request.raw as unknown as Raw;
    const write = raw[RUNNING];
    if (write === undefined) return done(null, payload);
    raw[RUNNING] = undefined;
    const status = reply.statusCode;
    if (status < 200 || status >= 300) {
      write.release();
      return done(null, payload);
    }
    const location = reply.getHeader('location');
    const body = typeof payload === 'string' && payload !== '' ? payload : null;
    this.replies.save(write.key, { status, location: typeof location === 'string' ? location : null, body }).then(
      () => {
        write.release();
        done(null, payload);
      },
      (error: unknown) => {
        write.release();
        done(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };

  /** The audit log, caught up with the event store, shows an effect of this request. */
  private async lostReplyOfEffect(key: RequestKey): Promise<boolean> {
    await this.runner.waitForPosition(await this.store.headPosition(), this.config.READ_YOUR_WRITES_TIMEOUT_MS);
    return this.replies.tookEffect(key);
  }

  private declaredStatus(context: ExecutionContext, method: string): number {
    return this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (method === 'POST' ? 201 : 200);
  }
}
