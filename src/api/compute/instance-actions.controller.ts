import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { getInstanceAction, listInstanceActions } from '../../projections/instance-actions/instance-actions.queries.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { ComputeWrites } from './compute-writes.js';
import { instanceActionEventJson, instanceActionJson } from './instance-action-json.js';
import { isAtLeast, type Microversion } from './microversion.js';
import { ApiVersion } from './request-state.js';
import { listInstanceActionsQuerySchema } from './schemas/list-instance-actions.query.schema.js';
import { parseQuery } from '../validation/parse-request.js';

/** A server's history in Nova's words: GET /servers/{id}/os-instance-actions[/{request_id}]. */
@Controller('compute/v2.1/servers/:id/os-instance-actions')
export class InstanceActionsController {
  constructor(private readonly compute: ComputeWrites) {}

  @Get()
  async list(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    // Paging and changes-since arrived in 2.58, changes-before in 2.66; earlier, parameters are ignored.
    const q = isAtLeast(version, '2.58') ? parseQuery(listInstanceActionsQuerySchema, query) : {};
    if ('changes-before' in q && q['changes-before'] !== undefined) {
      if (!isAtLeast(version, '2.66')) throw new BadRequestException("Additional properties are not allowed ('changes-before' was unexpected)");
    }
    const server = await this.compute.visibleServer(ctx, id, { includeDeleted: true });
    let actions = await listInstanceActions(this.compute.db, server.id, { changesSince: 'changes-since' in q ? q['changes-since'] : undefined });
    if ('changes-before' in q && q['changes-before'] !== undefined) {
      const before = q['changes-before'];
      actions = actions.filter((a) => new Date(a.updatedAt).toISOString() <= before);
    }
    if ('marker' in q && q.marker !== undefined) {
      const at = actions.findIndex((a) => a.requestId === q.marker);
      if (at < 0) throw new BadRequestException(`Marker ${q.marker} could not be found.`);
      actions = actions.slice(at + 1);
    }
    const limit = 'limit' in q && q.limit !== undefined ? Math.min(q.limit, 1000) : undefined;
    const full = limit !== undefined && actions.length > limit;
    if (limit !== undefined) actions = actions.slice(0, limit);
    const body: Record<string, unknown> = { instanceActions: actions.map((a) => instanceActionJson(a, version)) };
    const last = actions[actions.length - 1];
    if (full && last) {
      const params = new URLSearchParams({ limit: String(limit), marker: last.requestId });
      body.links = [{ rel: 'next', href: `${this.compute.base}/compute/v2.1/servers/${server.id}/os-instance-actions?${params.toString()}` }];
    }
    return body;
  }

  @Get(':requestId')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string, @Param('requestId') requestId: string) {
    const server = await this.compute.visibleServer(ctx, id, { includeDeleted: true });
    const action = await getInstanceAction(this.compute.db, server.id, requestId);
    if (!action) throw new NotFoundException(`Action for request_id ${requestId} on instance ${server.id} not found`);
    const json = instanceActionJson(action, version);
    // Nova shows events to admins always and, from 2.51, to every caller allowed to see the action.
    if (ctx.isAdmin || isAtLeast(version, '2.51')) {
      json.events = action.events.map((e) => instanceActionEventJson(e, action.projectId || server.projectId, version, ctx.isAdmin));
    }
    return { instanceAction: json };
  }
}
