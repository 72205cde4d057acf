import type { Actor } from '../../adapters/event-store/event-envelope.js';

/** Who asked and under which request; the handler turns it into each event's metadata. */
export interface CommandMetadata {
  requestId: string;
  /** Defaults to the request id: everything one request sets in motion shares it. */
  correlationId?: string;
  /** Defaults to the request id; a saga's step result names the event that caused its job. */
  causationId?: string;
  actor: Actor;
  /** The hash of the client-named write that sent the command (see requestFingerprint): its events then show which request of a shared request id they are the effect of. */
  requestFingerprint?: string;
}

/** The actor for changes virtplane makes itself (seeding, observed state). */
export const SYSTEM_ACTOR: Actor = { userId: 'virtplane', projectId: 'virtplane', roles: ['admin'] };
