import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { EVENT_STORE, READ_MODEL_DB } from '../../app/tokens.js';
import { InvalidAuditCursorError, queryAuditLog } from '../../projections/audit/audit-log.queries.js';
import { serverStateAt } from '../../projections/servers/server-state-at.js';
import { getServer } from '../../projections/servers/servers.queries.js';
import { Ctx } from '../auth/ctx.decorator.js';
import { PolicyNotAuthorizedError } from '../auth/policy-not-authorized.error.js';
import type { RequestContext } from '../auth/request-context.js';
import { auditEntryView } from './audit-entry-view.js';
import { auditQuerySchema, stateAtQuerySchema } from './audit-query.schema.js';
import { parseQuery } from '../validation/parse-request.js';

/**
 * The audit trail: every event, who caused it under which request, newest first; and what a server
 * looked like at any instant. A project sees its own history; admin sees every project's.
 */
@Controller('audit/v1')
export class AuditController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  version() {
    return { version: { id: 'v1', status: 'CURRENT', links: [{ rel: 'self', href: 'audit/v1' }] } };
  }

  @Get('events')
  async events(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    const q = parseQuery(auditQuerySchema, query);
    if (!ctx.isAdmin && q.project_id !== undefined && q.project_id !== ctx.projectId) {
      throw new PolicyNotAuthorizedError('audit:events:all_projects');
    }
    try {
      const page = await queryAuditLog(this.db, {
        serverId: q.server_id,
        userId: q.user_id,
        projectId: ctx.isAdmin ? q.project_id : ctx.projectId,
        action: q.action,
        from: q.from,
        to: q.to,
        limit: q.limit,
        cursor: q.cursor,
      });
      return { events: page.items.map(auditEntryView), next_cursor: page.nextCursor };
    } catch (error) {
      if (error instanceof InvalidAuditCursorError) throw new BadRequestException(`cursor: ${error.message}`);
      throw error;
    }
  }

  /** The server as it was at `at` (folded from its own stream up to then), or 404 if it did not exist yet. */
  @Get('servers/:id/state')
  async stateAt(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    const { at } = parseQuery(stateAtQuerySchema, query);
    const now = await getServer(this.db, id);
    // Another project's server does not exist for the caller (as Nova answers).
    if (!now || (!ctx.isAdmin && now.projectId !== ctx.projectId)) throw new NotFoundException(`Instance ${id} could not be found.`);
    const then = await serverStateAt(this.store, id, at);
    if (!then) throw new NotFoundException(`Instance ${id} did not exist at ${at}.`);
    const { task: _task, ...server } = then;
    return { at, server };
  }
}
