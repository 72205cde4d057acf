import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Inject, Param, Post, Delete, Query, Req, Res } from '@nestjs/common';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { ImageNotFoundError, ImageProtectedError } from '../../domain/image/image.errors.js';
import { ExecuteImageCommand } from '../../handlers/image/execute-image-command.command.js';
import { canSee, getImage, ImageMarkerNotFoundError, listImages, type ImageView } from '../../projections/images/images.queries.js';
import { Ctx } from '../auth/ctx.decorator.js';
import { requireAdmin } from '../auth/policy.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import type { RequestContext } from '../auth/request-context.js';
import { CommandWriter } from '../shared/command-writer.js';
import { RequestId } from '../compute/request-state.js';
import { parseBody, parseQuery } from '../validation/parse-request.js';
import { imageBody } from './image-body.js';
import { createImageSchema, extraProperties, listImagesQuerySchema, READ_ONLY_ATTRIBUTES } from './image-requests.schema.js';
import { imageVersionsDocument } from './image-versions.js';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

/** Glance v2 version discovery, without a token. */
@Public()
@Controller('image')
export class ImageVersionsController {
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.base = publicUrl(config);
  }

  /** Glance answers its root with 300 Multiple Choices. */
  @Get()
  @HttpCode(300)
  root() {
    return imageVersionsDocument(this.base);
  }

  @Get('versions')
  versions() {
    return imageVersionsDocument(this.base);
  }
}

/** Glance v2 images: container-registry disk images. Anyone with a token reads what they may see; admin registers and deletes. */
@Controller('image/v2/images')
export class ImagesController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly writer: CommandWriter,
  ) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: FastifyRequest) {
    const q = parseQuery(listImagesQuerySchema, query);
    const limit = Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    let images: ImageView[] = [];
    try {
      // Registry images are active from the start: a filter on any other status matches none.
      if (q.status === undefined || q.status === 'active') {
        images = await listImages(this.db, {
          projectId: ctx.projectId,
          isAdmin: ctx.isAdmin,
          visibility: q.visibility,
          name: q.name,
          owner: q.owner,
          diskFormat: q.disk_format,
          containerFormat: q.container_format,
          sortKey: q.sort_key,
          sortDir: q.sort_dir,
          marker: q.marker,
          limit,
        });
      }
    } catch (error) {
      if (error instanceof ImageMarkerNotFoundError) throw new BadRequestException(error.message);
      throw error;
    }
    const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    params.delete('marker');
    const first = params.toString() ? `/v2/images?${params.toString()}` : '/v2/images';
    const body: Record<string, unknown> = { images: images.map(imageBody), first, schema: '/v2/schemas/images' };
    const last = images[images.length - 1];
    if (last && images.length === limit) {
      params.set('marker', last.id);
      body.next = `/v2/images?${params.toString()}`;
    }
    return body;
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string) {
    const image = await getImage(this.db, id);
    if (!image || !canSee(image, ctx.projectId, ctx.isAdmin)) throw new ImageNotFoundError(id);
    return imageBody(image);
  }

  @Post()
  async create(
    @Ctx() ctx: RequestContext,
    @RequestId() requestId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireAdmin(ctx, 'add_image');
    if (body && typeof body === 'object') {
      const readOnly = READ_ONLY_ATTRIBUTES.find((a) => Object.hasOwn(body, a));
      if (readOnly) throw new ForbiddenException(`Attribute '${readOnly}' is read-only.`);
    }
    const b = parseBody(createImageSchema, body);
    const id = (b.id ?? this.writer.newId()).toLowerCase();
    await this.writer.execute(
      new ExecuteImageCommand(
        {
          type: 'RegisterImage',
          data: {
            id,
            name: b.name ?? '',
            owner: b.owner === undefined ? ctx.projectId : b.owner,
            visibility: b.visibility ?? 'shared',
            containerFormat: 'bare',
            diskFormat: b.disk_format,
            minDiskGb: b.min_disk ?? 0,
            minRamMb: b.min_ram ?? 0,
            protected: b.protected ?? false,
            tags: [...new Set(b.tags ?? [])],
            registryRef: b.virtplane_registry_ref,
            properties: extraProperties(b as Record<string, unknown>),
          },
        },
        this.writer.meta(ctx, requestId),
      ),
    );
    const image = await getImage(this.db, id);
    if (!image) throw new ImageNotFoundError(id);
    void reply.status(201).header('location', `/v2/images/${id}`);
    return imageBody(image);
  }

  @Delete(':id')
  @HttpCode(204)
  @NoReplyBody()
  async remove(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string): Promise<void> {
    requireAdmin(ctx, 'delete_image');
    try {
      await this.writer.execute(new ExecuteImageCommand({ type: 'DeleteImage', data: { id } }, this.writer.meta(ctx, requestId)));
    } catch (error) {
      // Glance refuses to delete a protected image with 403.
      if (error instanceof ImageProtectedError) throw new ForbiddenException(error.message);
      throw error;
    }
  }
}

