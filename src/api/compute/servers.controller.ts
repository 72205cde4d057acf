import { createHash, randomInt } from 'node:crypto';
import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { FlavorNotFoundError } from '../../domain/flavor/flavor.errors.js';
import { CreateServerCommand } from '../../handlers/virtual-machine/create-server.command.js';
import { ExecuteVmCommand } from '../../handlers/virtual-machine/execute-vm-command.command.js';
import { listServers, ServerMarkerNotFoundError, type ServerListFilter } from '../../projections/servers/servers.queries.js';
import type { ServerView } from '../../projections/servers/server-view.js';
import { Ctx } from '../auth/ctx.decorator.js';
import { PolicyNotAuthorizedError } from '../auth/policy-not-authorized.error.js';
import { requireWriter } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { assertNotLocked } from './server-lock.js';
import { ImageNotFoundError } from '../../domain/image/image.errors.js';
import { InstanceExistsError } from '../../domain/virtual-machine/virtual-machine.errors.js';
import { ComputeWrites } from './compute-writes.js';
import { BootNetworks } from './boot-networks.js';
import { isAtLeast, type Microversion } from './microversion.js';
import { ApiVersion, RequestId } from './request-state.js';
import { createServerFields, createServerSchema, UNSUPPORTED_CREATE_FIELDS, type CreateServerFields } from './schemas/create-server.schema.js';
import { NewResourceId, type NewResourceIdValue } from '../idempotency/new-resource-id.decorator.js';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import { vmStreamId } from '../../domain/virtual-machine/virtual-machine.events.js';
import { listServersQuerySchema } from './schemas/list-servers.query.schema.js';
import { updateServerSchema } from './schemas/update-server.schema.js';
import { resourceLinks, serverJson, serverSummaryJson } from './server-json.js';
import { parseBody, parseQuery } from '../validation/parse-request.js';
import { newUuidV7 } from '../../handlers/shared/uuid-v7-generator.js';

/** Nova's server list filters this cloud does not apply yet: refused, never silently ignored. */
const UNSUPPORTED_FILTERS = [
  'image', 'flavor', 'ip', 'ip6', 'host', 'node', 'reservation_id', 'deleted', 'sort_key', 'sort_dir', 'locked',
  'tags', 'tags-any', 'not-tags', 'not-tags-any', 'availability_zone', 'config_drive', 'key_name', 'created_at',
  'launched_at', 'terminated_at', 'power_state', 'task_state', 'vm_state', 'progress', 'description', 'changes-before',
];
/** Every status Nova knows; ours are the subset the domain reaches. */
const NOVA_STATUSES = new Set([
  'ACTIVE', 'BUILD', 'DELETED', 'ERROR', 'HARD_REBOOT', 'MIGRATING', 'PASSWORD', 'PAUSED', 'REBOOT', 'REBUILD', 'RESCUE',
  'RESIZE', 'REVERT_RESIZE', 'SHELVED', 'SHELVED_OFFLOADED', 'SHUTOFF', 'SOFT_DELETED', 'SUSPENDED', 'UNKNOWN', 'VERIFY_RESIZE',
]);
const MAX_LIMIT = 1000;
const FALSE_WORDS = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

/** Nova's servers resource: create, list, show, rename, delete. */
@Controller('compute/v2.1/servers')
export class ServersController {
  constructor(
    private readonly compute: ComputeWrites,
    private readonly networks: BootNetworks,
  ) {}

  @Post()
  @HttpCode(202)
  async create(
    @Ctx() ctx: RequestContext,
    @RequestId() requestId: string,
    @ApiVersion() version: Microversion,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @NewResourceId() newId: NewResourceIdValue,
  ) {
    requireWriter(ctx, 'os_compute_api:servers:create');
    const outer = parseBody(createServerSchema, body);
    const unsupported = UNSUPPORTED_CREATE_FIELDS.filter((f) => f in outer.server);
    if (unsupported.length > 0) throw new BadRequestException(`'${unsupported[0]}' is not supported by this cloud yet.`);
    if (!isAtLeast(version, '2.19') && 'description' in outer.server) {
      throw new BadRequestException("Additional properties are not allowed ('description' was unexpected)");
    }
    const s = parseBody(createServerFields, outer.server);
    if (isAtLeast(version, '2.37') && s.networks === undefined) throw new BadRequestException("'networks' is a required property");
    if (s.description !== undefined && s.description !== null) throw new BadRequestException('Server descriptions are not supported by this cloud yet.');
    const min = s.min_count ?? 1;
    const max = s.max_count ?? min;
    if (min !== 1 || max !== 1) throw new BadRequestException('This cloud creates one server per request: min_count and max_count must be 1.');
    if (s.security_groups?.some((g) => g.name !== 'default')) {
      throw new BadRequestException("Security groups other than 'default' are not supported by this cloud yet.");
    }
    if (!s.imageRef) throw new BadRequestException('imageRef is required: booting from volume is not supported by this cloud yet.');

    const vmId = newId.id;
    // A retry of a create that already took effect (its id derived from the request) answers with
    // the server it made; it must not count that server against the quota a second time.
    const retried = await this.compute.createdByEarlierAttempt(newId, vmStreamId(vmId));
    if (!retried) await this.createServer(ctx, requestId, vmId, { ...s, imageRef: s.imageRef });
    const links = resourceLinks(this.compute.base, 'servers', vmId);

    void reply.header('location', links[0]!.href);
    return {
      server: {
        id: vmId,
        links,
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: [{ name: 'default' }],
        // Nova's generated admin password: shown once, never stored (no guest agent sets it yet).
        adminPass: generatePassword(),
      },
    };
  }

  private async createServer(ctx: RequestContext, requestId: string, vmId: string, s: CreateServerFields & { imageRef: string }): Promise<void> {
    await this.compute.assertWithinQuota(ctx, lastSegment(s.flavorRef));
    const meta = this.compute.meta(ctx, requestId);
    // The ports it boots with, checked (and made on requested networks) before the VM exists.
    const boot = await this.networks.prepare(ctx, vmId, s.networks, meta);
    try {
      await this.compute.execute(
        new CreateServerCommand(
          {
            vmId,
            taskId: newUuidV7(),
            name: s.name,
            projectId: ctx.projectId,
            userId: ctx.userId,
            flavorId: lastSegment(s.flavorRef),
            imageRef: lastSegment(s.imageRef),
            keyName: s.key_name ?? null,
            metadata: s.metadata ?? {},
            availabilityZone: s.availability_zone ?? null,
            // Never stored nor logged: only its hash goes to the command.
            userDataSha256: s.user_data ? userDataHash(s.user_data) : null,
            ...(boot.interfaces.length > 0 ? { interfaces: boot.interfaces } : {}),
          },
          meta,
        ),
      );
    } catch (error) {
      // Refused: the ports made for it go again (the ones given stay as they were: never bound). A
      // concurrent attempt of the same request that made the server first uses the same ports.
      if (!(error instanceof InstanceExistsError)) await this.networks.release(boot.made, meta);
      // Nova: an unknown flavor in a create request is the request's fault (400), not a missing resource.
      if (error instanceof FlavorNotFoundError) throw new BadRequestException(error.message);
      if (error instanceof ImageNotFoundError) throw new BadRequestException('Can not find requested image');
      throw error;
    }
  }

  @Get()
  async list(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Query() query: Record<string, unknown>) {
    const page = await this.page(ctx, version, query);
    return { servers: page.servers.map((s) => serverSummaryJson(s, this.compute)), ...this.links(page, 'servers', query) };
  }

  @Get('detail')
  async detail(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Query() query: Record<string, unknown>) {
    const page = await this.page(ctx, version, query);
    return {
      servers: page.servers.map((s) => serverJson(s, this.compute, { version, admin: ctx.isAdmin })),
      ...this.links(page, 'servers/detail', query),
    };
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string) {
    const server = await this.compute.visibleServer(ctx, id);
    return { server: serverJson(server, this.compute, { version, admin: ctx.isAdmin, serverGroups: true }) };
  }

  @Put(':id')
  async update(
    @Ctx() ctx: RequestContext,
    @RequestId() requestId: string,
    @ApiVersion() version: Microversion,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const raw = body as { server?: Record<string, unknown> } | undefined;
    for (const field of ['description', 'accessIPv4', 'accessIPv6', 'OS-DCF:diskConfig', 'hostname']) {
      if (raw?.server && typeof raw.server === 'object' && field in raw.server) {
        throw new BadRequestException(`Updating '${field}' is not supported by this cloud yet.`);
      }
    }
    const { server: changes } = parseBody(updateServerSchema, body);
    await this.compute.visibleServer(ctx, id);
    requireWriter(ctx, 'os_compute_api:servers:update');
    if (changes.name !== undefined) {
      await this.compute.execute(new ExecuteVmCommand({ type: 'RenameVM', data: { vmId: id, name: changes.name } }, this.compute.meta(ctx, requestId)));
    }
    const server = await this.compute.visibleServer(ctx, id);
    // Before 2.75 Nova's PUT answered with the base keys only; from 2.75 with the whole server.
    return {
      server: serverJson(server, this.compute, { version, admin: ctx.isAdmin, extended: isAtLeast(version, '2.75'), serverGroups: true }),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @NoReplyBody()
  async remove(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string): Promise<void> {
    const server = await this.compute.visibleServer(ctx, id);
    requireWriter(ctx, 'os_compute_api:servers:delete');
    assertNotLocked(ctx, server);
    await this.compute.execute(new ExecuteVmCommand({ type: 'DeleteVM', data: { vmId: id, taskId: newUuidV7() } }, this.compute.meta(ctx, requestId)));
    await this.compute.settleDeletion(id);
  }

  private async page(ctx: RequestContext, version: Microversion, query: Record<string, unknown>) {
    const refused = UNSUPPORTED_FILTERS.find((f) => f in query);
    if (refused) throw new BadRequestException(`Filtering servers by '${refused}' is not supported by this cloud yet.`);
    // Nova ignored unknown query parameters until 2.75 and refuses them since.
    const known = isAtLeast(version, '2.75')
      ? query
      : Object.fromEntries(Object.entries(query).filter(([k]) => k in listServersQuerySchema.shape));
    const q = parseQuery(listServersQuerySchema, known);

    const filter: ServerListFilter = {};
    const allTenants = q.all_tenants !== undefined && !FALSE_WORDS.has(q.all_tenants.toLowerCase());
    if (ctx.isAdmin) {
      const project = q.project_id ?? q.tenant_id;
      if (project !== undefined) filter.projectId = project;
      else if (!allTenants) filter.projectId = ctx.projectId;
    } else {
      if (allTenants) throw new PolicyNotAuthorizedError('os_compute_api:servers:index:get_all_tenants');
      filter.projectId = ctx.projectId;
    }
    if (q.user_id !== undefined && (ctx.isAdmin || isAtLeast(version, '2.83'))) filter.userId = q.user_id;
    if (q.name !== undefined) filter.name = nameRegex(q.name);
    if (q['changes-since'] !== undefined) filter.changesSince = q['changes-since'];
    if (q.status !== undefined) {
      const status = q.status.toUpperCase();
      // Nova: an unknown status matches nothing; deleted servers are for admins.
      if (!NOVA_STATUSES.has(status)) return { servers: [] as ServerView[], limit: q.limit ?? MAX_LIMIT };
      if (status === 'DELETED') {
        if (!ctx.isAdmin) throw new PolicyNotAuthorizedError('Only administrators may list deleted instances');
        filter.includeDeleted = true;
      }
      filter.status = status;
    }
    if (q.marker !== undefined) filter.marker = q.marker;
    const limit = q.limit === undefined || q.limit === 0 ? MAX_LIMIT : Math.min(q.limit, MAX_LIMIT);
    if (q.limit === 0) return { servers: [] as ServerView[], limit };
    filter.limit = limit;
    try {
      return { servers: await listServers(this.compute.db, filter), limit };
    } catch (error) {
      if (error instanceof ServerMarkerNotFoundError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  /** Nova's servers_links: a next link when the page is full, with the marker of its last server. */
  private links(page: { servers: ServerView[]; limit: number }, path: string, query: Record<string, unknown>) {
    const last = page.servers[page.servers.length - 1];
    if (!last || page.servers.length < page.limit) return {};
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (k !== 'marker' && typeof v === 'string') params.set(k, v);
    params.set('limit', String(page.limit));
    params.set('marker', last.id);
    return { servers_links: [{ rel: 'next', href: `${this.compute.base}/compute/v2.1/${path}?${params.toString()}` }] };
  }
}

/** A flavorRef or imageRef may be a link (http://.../flavors/3): Nova takes its last segment. */
/** Nova matches `name` as a regular expression; one that does not compile is the request's fault. */
function nameRegex(pattern: string): string {
  try {
    new RegExp(pattern);
  } catch {
    throw new BadRequestException(`Invalid regular expression in the 'name' filter: ${pattern}`);
  }
  return pattern;
}

function lastSegment(ref: string): string {
  if (!/^https?:\/\//i.test(ref)) return ref;
  const path = new URL(ref).pathname.replace(/\/+$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** SHA-256 of the decoded user data; Nova's 400 when it is not base64. */
function userDataHash(userData: string): string {
  const compact = userData.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw new BadRequestException('User data needs to be valid base 64.');
  }
  return createHash('sha256').update(Buffer.from(compact, 'base64')).digest('hex');
}

const PASSWORD_SYMBOLS = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Nova's generate_password: 12 characters without look-alikes. */
function generatePassword(length = 12): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_SYMBOLS[randomInt(PASSWORD_SYMBOLS.length)];
  return out;
}
