import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { APP_CONFIG, EVENT_STORE } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import type { CommandMetadata } from '../../handlers/shared/command-metadata.js';
import type { CommandResult } from '../../handlers/shared/command-result.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import type { RequestContext } from '../auth/request-context.js';

/** Networking commands with the caller as actor, answered once the read models show them (read your writes). */
@Injectable()
export class NetworkWriter {
  constructor(
    private readonly bus: CommandBus,
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  meta(ctx: RequestContext, requestId: string): CommandMetadata {
    return { requestId, actor: { userId: ctx.userId, projectId: ctx.projectId, roles: [...ctx.roles] } };
  }

  async execute(command: Command<CommandResult>): Promise<CommandResult> {
    const result = await this.bus.execute(command);
    if (result.lastPosition !== null) await this.runner.waitForPosition(result.lastPosition, this.config.READ_YOUR_WRITES_TIMEOUT_MS);
    return result;
  }

  /** A create retried under the same request id finds the resource its first attempt made (see newResourceId). */
  async streamExists(streamId: string): Promise<boolean> {
    return (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
  }
}
