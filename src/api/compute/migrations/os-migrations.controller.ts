import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { getMigrationByUuid, listMigrations, type MigrationFilters } from '../../../projections/migrations/migrations.queries.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { requireAdmin } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { ComputeWrites } from '../compute-writes.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { ApiVersion } from '../request-state.js';
import { parseQuery } from '../../validation/parse-request.js';
import { migrationsQuerySchema } from './migrations.query.schema.js';
import { osMigrationJson } from './migration-json.js';

/**
 * Nova's os-migrations (admin): every migration, newest first, with its filters; paging and
 * changes-since from 2.59, changes-before from 2.66, the owner filters from 2.80.
 */
@Controller('compute/v2.1/os-migrations')
export class OsMigrationsController {
  constructor(private readonly compute: ComputeWrites) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Query() query: Record<string, unknown>) {
    requireAdmin(ctx, 'os_compute_api:os-migrations:index');
    const q = parseQuery(migrationsQuerySchema, query);
    const since = (min: string, name: string, value: unknown) => {
      if (value !== undefined && !isAtLeast(version, min)) throw new BadRequestException(`Additional properties are not allowed ('${name}' was unexpected)`);
      return value !== undefined;
    };
    const paged = isAtLeast(version, '2.59');
    const filters: MigrationFilters = {
      ...(q.instance_uuid ? { instanceUuid: q.instance_uuid } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.migration_type ? { migrationType: q.migration_type } : {}),
      ...(q.host ? { host: q.host } : {}),
      ...(q.source_compute ? { sourceCompute: q.source_compute } : {}),
    };
    // Before 2.59 Nova ignores paging parameters; the others appear with their microversions.
    if (paged && q['changes-since']) filters.changesSince = q['changes-since'];
    if (since('2.66', 'changes-before', q['changes-before'])) filters.changesBefore = q['changes-before']!;
    if (since('2.80', 'user_id', q.user_id)) filters.userId = q.user_id!;
    if (since('2.80', 'project_id', q.project_id)) filters.projectId = q.project_id!;
    if (paged && q.marker) {
      const marker = await getMigrationByUuid(this.compute.db, q.marker);
      if (!marker) throw new BadRequestException(`Marker ${q.marker} could not be found.`);
      filters.marker = marker;
    }
    const limit = paged && q.limit !== undefined ? Math.min(q.limit, 1000) : undefined;
    if (limit !== undefined) filters.limit = limit;
    const migrations = await listMigrations(this.compute.db, filters);
    const body: Record<string, unknown> = { migrations: migrations.map((m) => osMigrationJson(m, version, this.compute.base)) };
    const last = migrations[migrations.length - 1];
    if (limit !== undefined && last && migrations.length === limit) {
      const params = new URLSearchParams({ limit: String(limit), marker: last.uuid });
      body.migrations_links = [{ rel: 'next', href: `${this.compute.base}/compute/v2.1/os-migrations?${params.toString()}` }];
    }
    return body;
  }
}
