import type { FastifyReply } from 'fastify';
import type { StoredReply } from './request-replies.js';

/** Tells a client (and a test) that the reply is the stored one of an earlier identical request. */
export const REPLAYED_HEADER = 'x-virtplane-replayed';

/**
 * Thrown by the idempotency guard when a retried write is answered with the reply of the first
 * attempt: the one way a guard can stop the handler. The exception filters send it as it is.
 */
export class StoredReplyReplay extends Error {
  constructor(readonly stored: StoredReply) {
    super(`replay of a stored ${stored.status} reply`);
    this.name = 'StoredReplyReplay';
  }

  send(reply: FastifyReply): void {
    void reply.status(this.stored.status).header(REPLAYED_HEADER, 'true');
    if (this.stored.location) void reply.header('location', this.stored.location);
    if (this.stored.body === null) void reply.send();
    // The JSON as first sent (what Fastify sends for the object a handler returns).
    else void reply.header('content-type', 'application/json; charset=utf-8').send(this.stored.body);
  }
}
