/** Who caused an event: the authenticated caller (or the system itself for observed changes). */
export interface Actor {
  userId: string;
  projectId: string;
  roles: string[];
}

/** Metadata every event carries; secrets never go here. */
export interface EventMetadata {
  /** Nova's form, `req-<uuid>`: the id the client sees in x-openstack-request-id. */
  requestId: string;
  /** The id shared by everything one request set in motion (a saga's jobs and their results). */
  correlationId: string;
  /** The id of the event or command that directly caused this one. */
  causationId: string;
  actor: Actor;
  /**
   * Only on the events of a write whose client named its request id: the hash of that request
   * (method, path, body, scope...; never the inputs themselves), so that a retry after a lost
   * reply finds the effect of this very request rather than of another call under the same id.
   */
  requestFingerprint?: string;
}

/** An event as the caller hands it to the store. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** UUIDv7; appending the same id again is recognised as a retry. */
  id: string;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  /** ISO-8601 instant at which the domain says it happened (passed in, never read from a clock in the domain). */
  occurredAt: string;
}

/** An event as the store returns it: the new event plus where it landed. */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  streamId: string;
  /** 0-based revision within the stream. */
  revision: number;
  /** Global, strictly increasing order over all streams ($all). */
  position: number;
  /** ISO-8601 instant at which the store committed it. */
  recordedAt: string;
}
