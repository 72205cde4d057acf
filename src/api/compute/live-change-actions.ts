import { BadRequestException, ForbiddenException } from '@nestjs/common';
import { checkQuota } from '../../domain/quota/check-quota.js';
import { effectiveQuotas } from '../../domain/quota/quota-resources.js';
import { computeUsage, getProjectQuotas } from '../../projections/quotas/quota-usage.queries.js';
import type { ClusterPort } from '../../adapters/kubernetes/cluster.port.js';
import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { FlavorSnapshot } from '../../domain/flavor/flavor-snapshot.js';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import type { HotResizeStrategy } from '../../domain/virtual-machine/virtual-machine.events.js';
import { getFlavor } from '../../projections/flavors/flavors.queries.js';
import type { ServerView } from '../../projections/servers/server-view.js';
import { isAtLeast, type Microversion } from './microversion.js';
import { hotResizeActionSchema, migrateLiveActionSchema, resizeActionSchema } from './schemas/live-change-actions.schema.js';
import { parseBody } from '../validation/parse-request.js';
import { requireAdmin } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { newUuidV7 } from '../../handlers/shared/uuid-v7-generator.js';

/** The actions this file turns into commands. */
export const LIVE_CHANGE_ACTIONS: ReadonlySet<string> = new Set(['os-hotResize', 'os-migrateLive', 'resize', 'confirmResize', 'revertResize']);

export interface ActionPlan {
  command: VirtualMachineCommand;
  policy: string;
  /** Nova's default policy for the action is admin only. */
  adminOnly: boolean;
  /** confirmResize answers 204; the others 202. */
  status: 202 | 204;
}

/**
 * A hot resize, live migration or cold resize request as a command. The body is checked first
 * (Nova's 400s), then what the API knows better than the domain: the flavor a resize names, and the
 * live migration's target host (it must be a ready node with room for the server).
 */
export async function planLiveChangeAction(
  ctx: RequestContext,
  action: string,
  value: unknown,
  server: ServerView,
  version: Microversion,
  deps: { db: SqlExecutor; cluster: ClusterPort; hotResizeStrategy?: HotResizeStrategy },
): Promise<ActionPlan> {
  const vmId = server.id;
  switch (action) {
    case 'os-hotResize': {
      const body = parseBody(hotResizeActionSchema, value);
      await assertGrowthWithinQuota(deps.db, server, { vcpus: body.vcpus ?? server.flavor.vcpus, ramMb: body.ram ?? server.flavor.ramMb });
      return {
        command: {
          type: 'HotResizeVM',
          data: {
            vmId,
            taskId: newUuidV7(),
            ...(body.vcpus !== undefined ? { vcpus: body.vcpus } : {}),
            ...(body.ram !== undefined ? { ramMb: body.ram } : {}),
            // The cluster's strategy; the domain keeps a VM that cannot migrate in place.
            strategy: deps.hotResizeStrategy ?? 'in-place',
          },
        },
        policy: 'os_compute_api:servers:hot_resize',
        adminOnly: false,
        status: 202,
      };
    }
    case 'os-migrateLive': {
      // Nova's policy first: a non-admin learns nothing about hosts from the body's checks.
      requireAdmin(ctx, 'os_compute_api:os-migrate-server:migrate_live');
      assertRequired(value, isAtLeast(version, '2.25') ? ['host', 'block_migration'] : ['host', 'block_migration', 'disk_over_commit']);
      const body = parseBody(migrateLiveActionSchema(version), value);
      const targetHost = body.host ?? null;
      // The same host is the domain's refusal (UnableToMigrateToSelf); others must exist and have room.
      if (targetHost && targetHost !== server.host) await assertHostCanTake(deps.cluster, targetHost, server);
      return {
        command: { type: 'LiveMigrateVM', data: { vmId, taskId: newUuidV7(), targetHost } },
        policy: 'os_compute_api:os-migrate-server:migrate_live',
        adminOnly: true,
        status: 202,
      };
    }
    case 'resize': {
      assertRequired(value, ['flavorRef']);
      const body = parseBody(resizeActionSchema, value);
      const flavorId = body.flavorRef.split('/').pop()!;
      const flavor = await getFlavor(deps.db, flavorId);
      if (!flavor) throw new BadRequestException('Invalid flavorRef provided.');
      await assertGrowthWithinQuota(deps.db, server, flavor);
      return {
        command: { type: 'ResizeVM', data: { vmId, taskId: newUuidV7(), flavor: snapshotOf(flavor) } },
        policy: 'os_compute_api:servers:resize',
        adminOnly: false,
        status: 202,
      };
    }
    case 'confirmResize':
      assertNull(action, value);
      return { command: { type: 'ConfirmResize', data: { vmId } }, policy: 'os_compute_api:servers:confirm_resize', adminOnly: false, status: 204 };
    case 'revertResize':
      assertNull(action, value);
      return { command: { type: 'RevertResize', data: { vmId, taskId: newUuidV7() } }, policy: 'os_compute_api:servers:revert_resize', adminOnly: false, status: 202 };
    default:
      throw new BadRequestException(`There is no such action: ${action}`);
  }
}

/**
 * Growing a server counts against its project's quota as a create does (Nova's resize checks the
 * upsize delta): 403 in Nova's words when the cores or RAM added would overrun it.
 */
async function assertGrowthWithinQuota(db: SqlExecutor, server: ServerView, to: { vcpus: number; ramMb: number }): Promise<void> {
  const request = { instances: 0, cores: Math.max(0, to.vcpus - server.flavor.vcpus), ram: Math.max(0, to.ramMb - server.flavor.ramMb) };
  if (request.cores === 0 && request.ram === 0) return;
  const [usage, overrides] = await Promise.all([computeUsage(db, server.projectId), getProjectQuotas(db, server.projectId)]);
  const limits = effectiveQuotas(overrides);
  const check = checkQuota(usage, request, { instances: limits.instances, cores: limits.cores, ram: limits.ram });
  if (!check.ok) throw new ForbiddenException(check.message);
}

/** Nova's live-migration pre-checks on the destination: it exists (ComputeHostNotFound) and has room. */
async function assertHostCanTake(cluster: ClusterPort, host: string, server: ServerView): Promise<void> {
  const node = (await cluster.listNodes()).find((n) => n.name === host);
  if (!node) throw new BadRequestException(`Compute host ${host} could not be found.`);
  if (!node.ready) throw new BadRequestException(`Compute service of ${host} is unavailable at this time.`);
  const freeMiB = node.memoryMiB.capacity - node.memoryMiB.allocated;
  if (freeMiB < server.flavor.ramMb) {
    throw new BadRequestException(
      `Migration pre-check error: Unable to migrate ${server.id} to ${host}: Lack of memory(host:${freeMiB} <= instance:${server.flavor.ramMb})`,
    );
  }
}

/** Nova's JSON-schema words for a missing key (zod reports a missing union member as merely invalid). */
function assertRequired(value: unknown, keys: readonly string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const missing = keys.find((k) => !(k in value));
  if (missing) throw new BadRequestException(`'${missing}' is a required property`);
}

function assertNull(action: string, value: unknown): void {
  if (value !== null && (typeof value !== 'object' || Array.isArray(value) || Object.keys(value as object).length > 0)) {
    throw new BadRequestException(`Invalid input for field/attribute ${action}. Value must be null.`);
  }
}

function snapshotOf(f: FlavorSnapshot): FlavorSnapshot {
  return {
    id: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ramMb: f.ramMb,
    diskGb: f.diskGb,
    ephemeralGb: f.ephemeralGb,
    swapMb: f.swapMb,
    maxVcpus: f.maxVcpus,
    maxRamMb: f.maxRamMb,
    extraSpecs: { ...f.extraSpecs },
  };
}
