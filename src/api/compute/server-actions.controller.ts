import { BadRequestException, Body, Controller, HttpCode, HttpException, Param, Post } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import { ExecuteVmCommand } from '../../handlers/virtual-machine/execute-vm-command.command.js';
import { Ctx } from '../auth/ctx.decorator.js';
import { requireWriter } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { ComputeWrites } from './compute-writes.js';
import { RequestId } from './request-state.js';
import { rebootActionSchema } from './schemas/reboot-action.schema.js';
import { parseBody } from './validation.js';

/** Nova's server actions this cloud does not run yet: 501 naming them, never a silent no-op. */
const NOT_YET = new Set([
  'lock', 'unlock', 'resize', 'confirmResize', 'revertResize', 'migrate', 'os-migrateLive', 'rebuild', 'createImage',
  'createBackup', 'suspend', 'resume', 'shelve', 'shelveOffload', 'unshelve', 'rescue', 'unrescue', 'evacuate',
  'forceDelete', 'restore', 'changePassword', 'os-resetState', 'os-resetNetwork', 'injectNetworkInfo',
  'addSecurityGroup', 'removeSecurityGroup', 'addFloatingIp', 'removeFloatingIp', 'os-getConsoleOutput',
  'os-getVNCConsole', 'os-getSPICEConsole', 'os-getRDPConsole', 'os-getSerialConsole', 'trigger_crash_dump',
]);

class NotImplementedYetError extends HttpException {
  constructor(action: string) {
    const why =
      action === 'lock' || action === 'unlock'
        ? ' (the virtual machine aggregate has no lock state yet)'
        : '';
    super(`The '${action}' server action is not supported by this cloud yet${why}.`, 501);
  }
}

type TaskType = 'StartVM' | 'StopVM' | 'PauseVM' | 'UnpauseVM';
const SIMPLE: Record<string, { type: TaskType; policy: string }> = {
  'os-start': { type: 'StartVM', policy: 'os_compute_api:servers:start' },
  'os-stop': { type: 'StopVM', policy: 'os_compute_api:servers:stop' },
  pause: { type: 'PauseVM', policy: 'os_compute_api:os-pause-server:pause' },
  unpause: { type: 'UnpauseVM', policy: 'os_compute_api:os-pause-server:unpause' },
};

/** POST /servers/{id}/action: start, stop, reboot, pause, unpause (202, no body). */
@Controller('compute/v2.1/servers')
export class ServerActionsController {
  constructor(private readonly compute: ComputeWrites) {}

  @Post(':id/action')
  @HttpCode(202)
  async act(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('The request body must be a JSON object.');
    const keys = Object.keys(body);
    if (keys.length !== 1) throw new BadRequestException('A server action body names exactly one action.');
    const action = keys[0]!;
    const value = (body as Record<string, unknown>)[action];
    if (!(action in SIMPLE) && action !== 'reboot' && !NOT_YET.has(action)) {
      throw new BadRequestException(`There is no such action: ${action}`);
    }

    let command: VirtualMachineCommand;
    let policy: string;
    if (action === 'reboot') {
      const { type } = parseBody(rebootActionSchema, value);
      command = { type: 'RebootVM', data: { vmId: id, taskId: uuidv7(), rebootType: type } };
      policy = 'os_compute_api:servers:reboot';
    } else if (SIMPLE[action]) {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0)) {
        throw new BadRequestException(`Invalid input for field/attribute ${action}. Value must be null.`);
      }
      command = { type: SIMPLE[action].type, data: { vmId: id, taskId: uuidv7() } };
      policy = SIMPLE[action].policy;
    } else {
      await this.compute.visibleServer(ctx, id);
      throw new NotImplementedYetError(action);
    }
    await this.compute.visibleServer(ctx, id);
    requireWriter(ctx, policy);
    await this.compute.execute(new ExecuteVmCommand(command, this.compute.meta(ctx, requestId)));
  }
}
