import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { SqlDatabase } from '../../src/adapters/sql/sql-database.js';
import { READ_MODEL_DB } from '../../src/app/tokens.js';
import type { VirtualMachineCommand } from '../../src/domain/virtual-machine/virtual-machine.commands.js';
import { CreateServerCommand } from '../../src/handlers/virtual-machine/create-server.command.js';
import { ExecuteVmCommand } from '../../src/handlers/virtual-machine/execute-vm-command.command.js';
import type { CommandResult } from '../../src/handlers/shared/command-result.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { getServer } from '../../src/projections/servers/servers.queries.js';
import type { ServerView } from '../../src/projections/servers/server-view.js';
import type { TestApp } from './test-app.js';
import { waitFor } from './redis.js';

export const ACTOR = { userId: 'user-a', projectId: 'project-a', roles: ['member'] };

type TaskCommand = 'StartVM' | 'StopVM' | 'PauseVM' | 'UnpauseVM' | 'DeleteVM';

/** Drives servers through the command bus and reads them back from the servers read model. */
export class ServerDriver {
  constructor(
    private readonly t: TestApp,
    private readonly actor: { userId: string; projectId: string; roles: string[] } = ACTOR,
  ) {}

  private get bus() {
    return this.t.app.get(CommandBus);
  }

  async create(name = 'vm', flavorId = '1'): Promise<{ vmId: string; result: CommandResult }> {
    const vmId = uuidv7();
    const result = await this.readYourWrites(
      this.bus.execute(
        new CreateServerCommand(
          { vmId, taskId: uuidv7(), name, projectId: this.actor.projectId, userId: this.actor.userId, flavorId, imageRef: 'docker://quay.io/containerdisks/fedora:41', keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null },
          { requestId: `req-${uuidv7()}`, actor: this.actor },
        ),
      ),
    );
    return { vmId, result };
  }

  act(type: TaskCommand, vmId: string): Promise<CommandResult> {
    return this.execute({ type, data: { vmId, taskId: uuidv7() } } as VirtualMachineCommand);
  }

  reboot(vmId: string, rebootType: 'SOFT' | 'HARD'): Promise<CommandResult> {
    return this.execute({ type: 'RebootVM', data: { vmId, taskId: uuidv7(), rebootType } });
  }

  execute(command: VirtualMachineCommand): Promise<CommandResult> {
    return this.readYourWrites(this.bus.execute(new ExecuteVmCommand(command, { requestId: `req-${uuidv7()}`, actor: this.actor })));
  }

  /**
   * As the API answers (ARCHITECTURE rule 7): once the read model has the command's events, so a
   * `settles` right after it cannot see the state from before the command and return at once.
   */
  private async readYourWrites(sent: Promise<CommandResult>): Promise<CommandResult> {
    const result = await sent;
    if (result.lastPosition !== null) await this.projections().waitForPosition(result.lastPosition, 10_000);
    return result;
  }

  async server(vmId: string): Promise<ServerView | undefined> {
    return getServer(this.t.app.get<SqlDatabase>(READ_MODEL_DB), vmId);
  }

  /** Waits (bounded) until the server's read model satisfies the check, with no task running. */
  async settles(vmId: string, status: string, timeoutMs = 15_000): Promise<ServerView> {
    // The state named on a timeout is the last one seen, not the one the wait started from.
    let last: ServerView | undefined;
    try {
      return await waitFor(
        async () => {
          const s = (last = await this.server(vmId));
          return s && s.status === status && s.taskState === null ? s : undefined;
        },
        timeoutMs,
        `server ${vmId} to settle in ${status}`,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message} (last seen ${JSON.stringify(last && [last.status, last.taskState])})`, { cause: error });
    }
  }

  projections(): ProjectionRunner {
    return this.t.app.get(ProjectionRunner);
  }
}
