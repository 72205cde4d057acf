import { Controller, Delete, Get, HttpCode, NotFoundException, Param } from '@nestjs/common';
import { getMigrationById, inProgressLiveMigrations } from '../../../projections/migrations/migrations.queries.js';
import { IN_PROGRESS, type MigrationView } from '../../../projections/migrations/migration-row.js';
import { ExecuteVmCommand } from '../../../handlers/virtual-machine/execute-vm-command.command.js';
import { InvalidMigrationStateError } from '../../../domain/virtual-machine/virtual-machine.errors.js';
import { NoReplyBody } from '../../idempotency/no-reply-body.decorator.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { requireAdmin } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { ComputeWrites } from '../compute-writes.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { ApiVersion, RequestId } from '../request-state.js';
import { serverMigrationJson } from './migration-json.js';

const NOT_FOUND = 'The resource could not be found.';

/**
 * Nova's server migrations: a server's in-progress live migrations (2.23+), and aborting one
 * (2.24+, DELETE: Nova's live_migration_abort). Admin only, as Nova's default policy.
 */
@Controller('compute/v2.1/servers/:id/migrations')
export class ServerMigrationsController {
  constructor(private readonly compute: ComputeWrites) {}

  @Get()
  async list(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string) {
    if (!isAtLeast(version, '2.23')) throw new NotFoundException(NOT_FOUND);
    requireAdmin(ctx, 'os_compute_api:servers:migrations:index');
    const server = await this.compute.visibleServer(ctx, id);
    return { migrations: (await inProgressLiveMigrations(this.compute.db, server.id)).map((m) => serverMigrationJson(m, version, server.flavor.ramMb)) };
  }

  @Get(':migrationId')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string, @Param('migrationId') migrationId: string) {
    if (!isAtLeast(version, '2.23')) throw new NotFoundException(NOT_FOUND);
    requireAdmin(ctx, 'os_compute_api:servers:migrations:show');
    const server = await this.compute.visibleServer(ctx, id);
    const m = await this.migrationOf(server.id, migrationId);
    if (m.migrationType !== 'live-migration' || !IN_PROGRESS.includes(m.status)) {
      throw new NotFoundException(`In-progress live migration ${migrationId} is not found for server ${server.id}.`);
    }
    return { migration: serverMigrationJson(m, version, server.flavor.ramMb) };
  }

  @Delete(':migrationId')
  @HttpCode(202)
  @NoReplyBody()
  async abort(
    @Ctx() ctx: RequestContext,
    @RequestId() requestId: string,
    @ApiVersion() version: Microversion,
    @Param('id') id: string,
    @Param('migrationId') migrationId: string,
  ): Promise<void> {
    if (!isAtLeast(version, '2.24')) throw new NotFoundException(NOT_FOUND);
    requireAdmin(ctx, 'os_compute_api:servers:migrations:delete');
    const server = await this.compute.visibleServer(ctx, id);
    const m = await this.migrationOf(server.id, migrationId);
    if (m.migrationType !== 'live-migration') throw new InvalidMigrationStateError(server.id, migrationId, m.status);
    await this.compute.execute(new ExecuteVmCommand({ type: 'AbortLiveMigration', data: { vmId: server.id, taskId: m.uuid } }, this.compute.meta(ctx, requestId)));
  }

  /** Nova's MigrationNotFoundForInstance: an id that is not a migration of this server. */
  private async migrationOf(serverId: string, migrationId: string): Promise<MigrationView> {
    const m = /^\d+$/.test(migrationId) ? await getMigrationById(this.compute.db, Number(migrationId)) : null;
    if (!m || m.instanceUuid !== serverId) throw new NotFoundException(`Instance ${serverId} has no migration ${migrationId}.`);
    return m;
  }
}
