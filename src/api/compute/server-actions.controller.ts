import { BadRequestException, Body, Controller, HttpCode, HttpException, Inject, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ClusterPort } from '../../adapters/kubernetes/cluster.port.js';
import { APP_CONFIG, CLUSTER } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { requireAdmin } from '../auth/policy.js';
import { LIVE_CHANGE_ACTIONS, planLiveChangeAction } from './live-change-actions.js';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import { ExecuteVmCommand } from '../../handlers/virtual-machine/execute-vm-command.command.js';
import { Ctx } from '../auth/ctx.decorator.js';
import { requireWriter } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { ComputeWrites } from './compute-writes.js';
import { ApiVersion, RequestId } from './request-state.js';
import { isAtLeast, type Microversion } from './microversion.js';
import { rebootActionSchema } from './schemas/reboot-action.schema.js';
import { parseBody } from '../validation/parse-request.js';
import { assertNotLocked } from './server-lock.js';
import { lockActionSchema } from './schemas/lock-action.schema.js';
import { newUuidV7 } from '../../handlers/shared/uuid-v7-generator.js';

/** Nova's server actions this cloud does not run yet: 501 naming them, never a silent no-op. */
const NOT_YET = new Set([
  'migrate', 'rebuild', 'createImage',
  'createBackup', 'suspend', 'resume', 'shelve', 'shelveOffload', 'unshelve', 'rescue', 'unrescue', 'evacuate',
  'forceDelete', 'restore', 'changePassword', 'os-resetState', 'os-resetNetwork', 'injectNetworkInfo',
  'addSecurityGroup', 'removeSecurityGroup', 'addFloatingIp', 'removeFloatingIp', 'os-getConsoleOutput',
  'os-getVNCConsole', 'os-getSPICEConsole', 'os-getRDPConsole', 'os-getSerialConsole', 'trigger_crash_dump',
]);

class NotImplementedYetError extends HttpException {
  constructor(action: string) {
    super(`The '${action}' server action is not supported by this cloud yet.`, 501);
  }
}

type TaskType = 'StartVM' | 'StopVM' | 'PauseVM' | 'UnpauseVM';
const SIMPLE: Record<string, { type: TaskType; policy: string }> = {
  'os-start': { type: 'StartVM', policy: 'os_compute_api:servers:start' },
  'os-stop': { type: 'StopVM', policy: 'os_compute_api:servers:stop' },
  pause: { type: 'PauseVM', policy: 'os_compute_api:os-pause-server:pause' },
  unpause: { type: 'UnpauseVM', policy: 'os_compute_api:os-pause-server:unpause' },
};

/**
 * POST /servers/{id}/action: start, stop, reboot, pause, unpause, lock, unlock, resize,
 * confirmResize (204), revertResize, os-migrateLive (admin) and our os-hotResize (202, no body).
 */
@Controller('compute/v2.1/servers')
export class ServerActionsController {
  constructor(
    private readonly compute: ComputeWrites,
    @Inject(CLUSTER) private readonly cluster: ClusterPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':id/action')
  @HttpCode(202)
  @NoReplyBody()
  async act(
    @Ctx() ctx: RequestContext,
    @RequestId() requestId: string,
    @ApiVersion() version: Microversion,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('The request body must be a JSON object.');
    const keys = Object.keys(body);
    if (keys.length !== 1) throw new BadRequestException('A server action body names exactly one action.');
    const action = keys[0]!;
    const value = (body as Record<string, unknown>)[action];
    if (LIVE_CHANGE_ACTIONS.has(action)) {
      const server = await this.compute.visibleServer(ctx, id);
      const plan = await planLiveChangeAction(ctx, action, value, server, version, { db: this.compute.db, cluster: this.cluster, hotResizeStrategy: this.config.HOT_RESIZE_STRATEGY });
      if (plan.adminOnly) requireAdmin(ctx, plan.policy);
      requireWriter(ctx, plan.policy);
      assertNotLocked(ctx, server);
      await this.compute.execute(new ExecuteVmCommand(plan.command, this.compute.meta(ctx, requestId)));
      if (plan.status === 204) reply.status(204);
      return;
    }
    if (!(action in SIMPLE) && action !== 'reboot' && action !== 'lock' && action !== 'unlock' && !NOT_YET.has(action)) {
      throw new BadRequestException(`There is no such action: ${action}`);
    }

    let command: VirtualMachineCommand;
    let policy: string;
    // Lock and unlock are the two actions a lock does not refuse.
    let lockChecked = true;
    if (action === 'lock') {
      const { locked_reason } = parseBody(lockActionSchema, value ?? {});
      if (locked_reason !== undefined && !isAtLeast(version, '2.73')) {
        throw new BadRequestException('Invalid input for field/attribute lock. locked_reason needs microversion 2.73 or later.');
      }
      command = { type: 'LockVM', data: { vmId: id, reason: locked_reason ?? null, lockedBy: ctx.isAdmin ? 'admin' : 'owner' } };
      policy = 'os_compute_api:os-lock-server:lock';
      lockChecked = false;
    } else if (action === 'unlock') {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0)) {
        throw new BadRequestException('Invalid input for field/attribute unlock. Value must be null.');
      }
      command = { type: 'UnlockVM', data: { vmId: id, byAdmin: ctx.isAdmin } };
      policy = 'os_compute_api:os-lock-server:unlock';
      lockChecked = false;
    } else if (action === 'reboot') {
      const { type } = parseBody(rebootActionSchema, value);
      command = { type: 'RebootVM', data: { vmId: id, taskId: newUuidV7(), rebootType: type } };
      policy = 'os_compute_api:servers:reboot';
    } else if (SIMPLE[action]) {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0)) {
        throw new BadRequestException(`Invalid input for field/attribute ${action}. Value must be null.`);
      }
      command = { type: SIMPLE[action].type, data: { vmId: id, taskId: newUuidV7() } };
      policy = SIMPLE[action].policy;
    } else {
      await this.compute.visibleServer(ctx, id);
      throw new NotImplementedYetError(action);
    }
    const server = await this.compute.visibleServer(ctx, id);
    requireWriter(ctx, policy);
    if (lockChecked) assertNotLocked(ctx, server);
    await this.compute.execute(new ExecuteVmCommand(command, this.compute.meta(ctx, requestId)));
  }
}
