import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { APP_CONFIG } from '../../../app/tokens.js';
import type { AppConfig } from '../../../config/config.schema.js';
import { IdGenerator } from '../../../handlers/shared/clock.js';
import type { CommandResult } from '../../../handlers/shared/command-result.js';
import type { CommandMetadata } from '../../../handlers/shared/command-metadata.js';
import { ProjectionRunner } from '../../../projections/projection-runner.js';
import type { RequestContext } from '../../auth/request-context.js';

/**
 * Sends a catalogue command (flavor, keypair, quota, image) and waits, bounded, until the read
 * models have folded it, so the reply and the client's next GET see the change (read your writes).
 */
@Injectable()
export class CatalogueWriter {
  constructor(
    private readonly bus: CommandBus,
    private readonly runner: ProjectionRunner,
    private readonly ids: IdGenerator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The command's metadata: the request id the client sees, and the caller as the actor. */
  meta(ctx: RequestContext, requestId: string): CommandMetadata {
    return { requestId, actor: { userId: ctx.userId, projectId: ctx.projectId, roles: [...ctx.roles] } };
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
}
