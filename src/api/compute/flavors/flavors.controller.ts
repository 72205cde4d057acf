import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { NoReplyBody } from '../../idempotency/no-reply-body.decorator.js';
import type { SqlDatabase } from '../../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../../app/tokens.js';
import type { AppConfig } from '../../../config/config.schema.js';
import { FlavorNotFoundError } from '../../../domain/flavor/flavor.errors.js';
import { ExecuteFlavorCommand } from '../../../handlers/flavor/execute-flavor-command.command.js';
import { findFlavorByName, FlavorMarkerNotFoundError, getFlavor, listFlavors } from '../../../projections/flavors/flavors.queries.js';
import type { FlavorView } from '../../../projections/flavors/flavor-row.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { requireAdmin } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { publicUrl } from '../../auth/public-url.js';
import { parseBody, parseQuery } from '../../validation/parse-request.js';
import { CommandWriter } from '../../shared/command-writer.js';
import { FlavorExtraSpecNotFoundError, FlavorNameExistsError } from './flavor-api.errors.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { ApiVersion, RequestId } from '../request-state.js';
import { flavorDetail, flavorSummary, HEADROOM_SPECS, visibleExtraSpecs } from './flavor-body.js';
import { createFlavorSchema, extraSpecsSchema, isPublicFilter, listFlavorsQuerySchema, oneExtraSpecSchema } from './flavor-requests.schema.js';

/** Nova's flavors and their extra specs. Anyone with a token reads; only admin changes the catalogue. */
@Controller('compute/v2.1/flavors')
export class FlavorsController {
  private readonly baseUrl: string;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly writer: CommandWriter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.baseUrl = publicUrl(config);
  }

  @Get()
  async index(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Query() query: Record<string, unknown>) {
    const { flavors, next } = await this.list(ctx, query);
    return this.page({ flavors: flavors.map((f) => flavorSummary(f, version, this.baseUrl)) }, next);
  }

  @Get('detail')
  async detail(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Query() query: Record<string, unknown>) {
    const { flavors, next } = await this.list(ctx, query);
    return this.page({ flavors: flavors.map((f) => flavorDetail(f, version, this.baseUrl)) }, next, '/detail');
  }

  @Get(':id')
  async show(@ApiVersion() version: Microversion, @Param('id') id: string) {
    return { flavor: flavorDetail(await this.flavor(id), version, this.baseUrl) };
  }

  @Post()
  @HttpCode(200)
  async create(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @RequestId() requestId: string, @Body() body: unknown) {
    requireAdmin(ctx, 'os_compute_api:os-flavor-manage:create');
    const f = parseBody(createFlavorSchema, body).flavor;
    if (f.description !== undefined && !isAtLeast(version, '2.55')) {
      throw new BadRequestException("Invalid input for field/attribute flavor. Value: Additional properties are not allowed ('description' was unexpected)");
    }
    if (await findFlavorByName(this.db, f.name)) throw new FlavorNameExistsError(f.name);
    const id = f.id ?? this.writer.newId();
    const swap = f.swap === '' || f.swap === undefined ? 0 : f.swap;
    await this.writer.execute(
      new ExecuteFlavorCommand(
        {
          type: 'CreateFlavor',
          data: {
            id,
            name: f.name,
            vcpus: f.vcpus,
            ramMb: f.ram,
            diskGb: f.disk,
            ephemeralGb: f['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
            swapMb: swap,
            maxVcpus: f['hw:max_vcpus'] ?? f.vcpus * 4,
            maxRamMb: f['hw:max_ram_mb'] ?? f.ram * 4,
            extraSpecs: {},
            isPublic: f['os-flavor-access:is_public'] ?? true,
            description: f.description ?? null,
          },
        },
        this.writer.meta(ctx, requestId),
      ),
    );
    return { flavor: flavorDetail(await this.flavor(id), version, this.baseUrl) };
  }

  @Delete(':id')
  @HttpCode(202)
  @NoReplyBody()
  async remove(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string): Promise<void> {
    requireAdmin(ctx, 'os_compute_api:os-flavor-manage:delete');
    await this.writer.execute(new ExecuteFlavorCommand({ type: 'DeleteFlavor', data: { id } }, this.writer.meta(ctx, requestId)));
  }

  @Get(':id/os-extra_specs')
  async extraSpecs(@Param('id') id: string) {
    return { extra_specs: visibleExtraSpecs(await this.flavor(id)) };
  }

  @Get(':id/os-extra_specs/:key')
  async extraSpec(@Param('id') id: string, @Param('key') key: string) {
    const specs = visibleExtraSpecs(await this.flavor(id));
    if (!Object.hasOwn(specs, key)) throw new FlavorExtraSpecNotFoundError(id, key);
    return { [key]: specs[key] };
  }

  @Post(':id/os-extra_specs')
  @HttpCode(200)
  async setExtraSpecs(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Body() body: unknown) {
    requireAdmin(ctx, 'os_compute_api:os-flavor-extra-specs:create');
    const specs = parseBody(extraSpecsSchema, body).extra_specs;
    await this.setSpecs(ctx, requestId, id, specs);
    return { extra_specs: specs };
  }

  @Put(':id/os-extra_specs/:key')
  async setExtraSpec(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Param('key') key: string, @Body() body: unknown) {
    requireAdmin(ctx, 'os_compute_api:os-flavor-extra-specs:update');
    const spec = parseBody(oneExtraSpecSchema, body);
    if (Object.keys(spec).length !== 1 || !Object.hasOwn(spec, key)) throw new BadRequestException('Request body and URI mismatch');
    await this.setSpecs(ctx, requestId, id, spec);
    return spec;
  }

  private async setSpecs(ctx: RequestContext, requestId: string, id: string, specs: Record<string, string>): Promise<void> {
    const reserved = Object.keys(specs).filter((k) => HEADROOM_SPECS.includes(k));
    if (reserved.length > 0) {
      throw new BadRequestException(`${reserved.join(', ')}: the hotplug headroom is set when the flavor is created and cannot be changed.`);
    }
    await this.flavor(id);
    await this.writer.execute(new ExecuteFlavorCommand({ type: 'SetFlavorExtraSpecs', data: { id, extraSpecs: specs } }, this.writer.meta(ctx, requestId)));
  }

  private async flavor(id: string): Promise<FlavorView> {
    const flavor = await getFlavor(this.db, id);
    if (!flavor) throw new FlavorNotFoundError(id);
    return flavor;
  }

  private async list(ctx: RequestContext, query: Record<string, unknown>): Promise<{ flavors: FlavorView[]; next: string | null }> {
    const q = parseQuery(listFlavorsQuerySchema, query);
    // Nova: a non-admin sees public flavors (and private ones shared with the project: no access lists here).
    const isPublic = ctx.isAdmin ? isPublicFilter(q.is_public) : true;
    try {
      const flavors = await listFlavors(this.db, {
        isPublic,
        minRamMb: q.minRam,
        minDiskGb: q.minDisk,
        sortKey: q.sort_key,
        sortDir: q.sort_dir,
        marker: q.marker,
        limit: q.limit,
      });
      const last = flavors[flavors.length - 1];
      const full = q.limit !== undefined && flavors.length > 0 && flavors.length === q.limit;
      if (!full || !last) return { flavors, next: null };
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (key !== 'marker' && typeof value === 'string') params.set(key, value);
      params.set('marker', last.id);
      return { flavors, next: params.toString() };
    } catch (error) {
      if (error instanceof FlavorMarkerNotFoundError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  private page<T extends object>(body: T, next: string | null, suffix = '') {
    if (!next) return body;
    return { ...body, flavors_links: [{ href: `${this.baseUrl}/compute/v2.1/flavors${suffix}?${next}`, rel: 'next' }] };
  }
}
