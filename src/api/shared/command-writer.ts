import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { APP_CONFIG, EVENT_STORE } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { IdGenerator } from '../../handlers/shared/clock.js';
import type { CommandResult } from '../../handlers/shared/command-result.js';
import type { CommandMetadata } from '../../handlers/shared/command-metadata.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import type { RequestContext } from '../auth/request-context.js';
import type { NewResourceIdValue } from '../idempotency/new-resource-id.decorator.js';

/**
 * How every API sends a command: with the caller as the actor and the request id the client sees,
 * then waiting, bounded, until the read models have folded it, so the reply and the client's next
 * GET see the change (read your writes).
 */
@Injectable()
export class CommandWriter {
  constructor(
    private readonly bus: CommandBus,
    private readonly runner: ProjectionRunner,
    private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The command's metadata: the request id the client sees, the caller as the actor, and the fingerprint of a client-named write. */
  meta(ctx: RequestContext, requestId: string): CommandMetadata {
    const actor = { userId: ctx.userId, projectId: ctx.projectId, roles: [...ctx.roles] };
    return ctx.requestFingerprint === undefined ? { requestId, actor } : { requestId, actor, requestFingerprint: ctx.requestFingerprint };
  }

  /** A fresh id (UUIDv7) for something the caller names no id for. */
  newId(): string {
    return this.ids.next();
  }

  async execute(command: Command<CommandResult>): Promise<CommandResult> {
    const result = await this.bus.execute(command);
    if (result.lastPosition !== null) await this.runner.waitForPosition(result.lastPosition, this.config.READ_YOUR_WRITES_TIMEOUT_MS);
    return result;
  }

  /**
   * A create retried under the same request id (its id derived from the request, see newResourceId)
   * whose first attempt already made the resource: the event store, not a read model that may lag,
   * says whether the stream has events.
   */
  async createdByEarlierAttempt(newId: NewResourceIdValue, streamId: string): Promise<boolean> {
    return newId.derived && (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
  }
}
