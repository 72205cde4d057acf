import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { checkQuota } from '../../domain/quota/check-quota.js';
import { effectiveQuotas } from '../../domain/quota/quota-resources.js';
import { createQuotaInputs } from '../../projections/quotas/quota-usage.queries.js';
import { CommandBus } from '@nestjs/cqrs';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, EVENT_STORE, READ_MODEL_DB } from '../../app/tokens.js';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { AppConfig } from '../../config/config.schema.js';
import { IdGenerator } from '../../handlers/shared/clock.js';
import { ProjectionRunner } from '../../projections/projection-runner.js';
import { CommandWriter } from '../shared/command-writer.js';
import { getServer } from '../../projections/servers/servers.queries.js';
import type { ServerView } from '../../projections/servers/server-view.js';
import type { RequestContext } from '../auth/request-context.js';
import { publicUrl } from '../auth/public-url.js';

/** What the compute controllers share: the command writer's commands, plus tenant-scoped reads and the quota check. */
@Injectable()
export class ComputeWrites extends CommandWriter {
  readonly base: string;

  constructor(
    bus: CommandBus,
    runner: ProjectionRunner,
    ids: IdGenerator,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_DB) readonly db: SqlDatabase,
  ) {
    super(bus, runner, ids, config, store);
    this.base = publicUrl(config);
  }

  /**
   * A server the caller may see: its own project's (any project's for admin). Another project's
   * server is "not found", never "forbidden", so ids do not leak across tenants. Deleted servers
   * are not found unless `includeDeleted` (instance actions outlive their server, as in Nova).
   */
  async visibleServer(ctx: RequestContext, id: string, options: { includeDeleted?: boolean } = {}): Promise<ServerView> {
    const server = await getServer(this.db, id);
    if (!server || (!ctx.isAdmin && server.projectId !== ctx.projectId) || (server.deleted && !options.includeDeleted)) {
      throw new NotFoundException(`Instance ${id} could not be found.`);
    }
    return server;
  }

  /**
   * Waits (bounded) until a server being deleted is gone. Deleting a server that never ran, or on a
   * fast cluster, finishes within moments; answering after it spares clients polling an ERROR server
   * that is already on its way out (the CLI's `server delete --wait` gives up on ERROR).
   */
  async settleDeletion(id: string, timeoutMs = 2_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let pause = 5; Date.now() < deadline; pause = Math.min(pause * 2, 100)) {
      if ((await getServer(this.db, id))?.deleted) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /**
   * Nova's quota check on create: one more instance with the flavor's cores and RAM must fit the
   * project's limits (403 "Quota exceeded ..." otherwise). Counted from the read models, as Nova
   * counts from its database; an unknown flavor is left for the create to refuse.
   */
  async assertWithinQuota(ctx: RequestContext, flavorId: string): Promise<void> {
    const inputs = await createQuotaInputs(this.db, ctx.projectId, flavorId);
    if (!inputs) return;
    const { flavor, usage, overrides } = inputs;
    const limits = effectiveQuotas(overrides);
    const check = checkQuota(usage, { instances: 1, cores: flavor.vcpus, ram: flavor.ramMb }, { instances: limits.instances, cores: limits.cores, ram: limits.ram });
    if (!check.ok) throw new ForbiddenException(check.message);
  }
}
