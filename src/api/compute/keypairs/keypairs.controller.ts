import { BadRequestException, Body, ForbiddenException, Controller, Delete, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { SecretInReply } from '../../idempotency/no-reply-body.decorator.js';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { SqlDatabase } from '../../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../../app/tokens.js';
import type { AppConfig } from '../../../config/config.schema.js';
import { KeypairNotFoundError } from '../../../domain/keypair/keypair.errors.js';
import { ExecuteKeypairCommand } from '../../../handlers/keypair/execute-keypair-command.command.js';
import { generateEd25519Keypair } from '../../../handlers/keypair/generate-ed25519-keypair.js';
import { getKeypair, KeypairMarkerNotFoundError, listKeypairs, type KeypairView } from '../../../projections/keypairs/keypairs.queries.js';
import { effectiveQuotas, UNLIMITED } from '../../../domain/quota/quota-resources.js';
import { getProjectQuotas, keypairCount } from '../../../projections/quotas/quota-usage.queries.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { PolicyNotAuthorizedError } from '../../auth/policy-not-authorized.error.js';
import { requireWriter } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { publicUrl } from '../../auth/public-url.js';
import { CommandWriter } from '../../shared/command-writer.js';
import { parseBody, parseQuery } from '../../validation/parse-request.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { ApiVersion, RequestId } from '../request-state.js';

export const createSchema = (version: Microversion) =>
  z.object({
    keypair: z
      .object({
        name: z.string().min(1).max(255),
        public_key: isAtLeast(version, '2.92') ? z.string().min(1) : z.string().optional(),
        ...(isAtLeast(version, '2.2') ? { type: z.enum(['ssh', 'x509']).optional() } : {}),
        ...(isAtLeast(version, '2.10') ? { user_id: z.string().min(1).optional() } : {}),
      })
      .strict(),
  });

export const listQuery = z.object({
  user_id: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(0).optional(),
  marker: z.string().min(1).optional(),
});

export const userQuery = z.object({ user_id: z.string().min(1).optional() });

/** Nova's key pairs: each user's own; admin may name another user (2.10+). */
@Controller('compute/v2.1/os-keypairs')
export class KeypairsController {
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
    const q = parseQuery(listQuery, query);
    const userId = this.userFor(ctx, version, q.user_id, 'index');
    const paging = isAtLeast(version, '2.35');
    let keypairs: KeypairView[];
    try {
      keypairs = await listKeypairs(this.db, userId, paging ? { limit: q.limit, marker: q.marker } : {});
    } catch (error) {
      if (error instanceof KeypairMarkerNotFoundError) throw new BadRequestException(error.message);
      throw error;
    }
    const body: Record<string, unknown> = {
      keypairs: keypairs.map((k) => ({
        keypair: { fingerprint: k.fingerprint, name: k.name, public_key: k.publicKey, ...(isAtLeast(version, '2.2') ? { type: k.type } : {}) },
      })),
    };
    const last = keypairs[keypairs.length - 1];
    if (paging && q.limit !== undefined && last && keypairs.length === q.limit) {
      const params = new URLSearchParams({ ...(q.user_id ? { user_id: q.user_id } : {}), limit: String(q.limit), marker: last.name });
      body.keypairs_links = [{ href: `${this.baseUrl}/compute/v2.1/os-keypairs?${params.toString()}`, rel: 'next' }];
    }
    return body;
  }

  @Get(':name')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('name') name: string, @Query() query: Record<string, unknown>) {
    const userId = this.userFor(ctx, version, parseQuery(userQuery, query).user_id, 'show');
    const k = await getKeypair(this.db, userId, name);
    if (!k) throw new KeypairNotFoundError(name, userId);
    return {
      keypair: {
        created_at: naiveMicros(k.createdAt),
        deleted: false,
        deleted_at: null,
        fingerprint: k.fingerprint,
        id: k.id,
        name: k.name,
        public_key: k.publicKey,
        ...(isAtLeast(version, '2.2') ? { type: k.type } : {}),
        updated_at: null,
        user_id: k.userId,
      },
    };
  }

  @Post()
  // A generated private key is shown once and never stored, not even for a retry's replay.
  @SecretInReply()
  async create(
    @Ctx() ctx: RequestContext,
    @ApiVersion() version: Microversion,
    @RequestId() requestId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireWriter(ctx, 'os_compute_api:os-keypairs:create');
    const k = parseBody(createSchema(version), body).keypair as { name: string; public_key?: string; type?: 'ssh' | 'x509'; user_id?: string };
    const userId = this.userFor(ctx, version, k.user_id, 'create');
    // Nova's key_pairs quota counts per user, against the limit of the caller's project.
    const allowed = effectiveQuotas(await getProjectQuotas(this.db, ctx.projectId)).key_pairs;
    if (allowed !== UNLIMITED && (await keypairCount(this.db, userId)) >= allowed) throw new ForbiddenException('Quota exceeded, too many key pairs.');
    const generated = k.public_key === undefined ? generateEd25519Keypair(`Generated-by-virtplane`) : undefined;
    const publicKey = generated?.publicKey ?? k.public_key!;
    await this.writer.execute(
      new ExecuteKeypairCommand({ type: 'ImportKeypair', data: { userId, name: k.name, type: k.type ?? 'ssh', publicKey } }, this.writer.meta(ctx, requestId)),
    );
    const stored = await getKeypair(this.db, userId, k.name);
    void reply.status(isAtLeast(version, '2.2') ? 201 : 200);
    return {
      keypair: {
        fingerprint: stored?.fingerprint,
        name: k.name,
        ...(isAtLeast(version, '2.2') ? { type: k.type ?? 'ssh' } : {}),
        public_key: stored?.publicKey ?? publicKey.trim(),
        user_id: userId,
        ...(generated ? { private_key: generated.privateKey } : {}),
      },
    };
  }

  @Delete(':name')
  async remove(
    @Ctx() ctx: RequestContext,
    @ApiVersion() version: Microversion,
    @RequestId() requestId: string,
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    requireWriter(ctx, 'os_compute_api:os-keypairs:delete');
    const userId = this.userFor(ctx, version, parseQuery(userQuery, query).user_id, 'delete');
    await this.writer.execute(new ExecuteKeypairCommand({ type: 'DeleteKeypair', data: { userId, name } }, this.writer.meta(ctx, requestId)));
    void reply.status(isAtLeast(version, '2.2') ? 204 : 202);
  }

  /** The caller's own user, or (2.10+) the user_id an admin names; a non-admin naming another user is refused. */
  private userFor(ctx: RequestContext, version: Microversion, asked: string | undefined, action: string): string {
    if (asked === undefined || !isAtLeast(version, '2.10') || asked === ctx.userId) return ctx.userId;
    if (!ctx.isAdmin) throw new PolicyNotAuthorizedError(`os_compute_api:os-keypairs:${action}`);
    return asked;
  }
}

/** Nova's naive UTC timestamps with microseconds ("2026-11-22T10:00:00.000000"). */
function naiveMicros(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 23)}000`;
}
