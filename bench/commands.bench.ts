import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { StorageModule } from '../src/app/storage.module.js';
import type { AppConfig } from '../src/config/config.schema.js';
import { HandlersModule } from '../src/handlers/handlers.module.js';
import { ExecuteVmCommand } from '../src/handlers/virtual-machine/execute-vm-command.command.js';
import { CreateServerCommand } from '../src/handlers/virtual-machine/create-server.command.js';
import { fmt, pool, timed, type Rate } from './support/measure.js';
import { freshConfig, type StoreKind } from './support/stores.js';

@Module({})
class CommandsBenchModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CommandsBenchModule, imports: [StorageModule.forRoot(config), HandlersModule] };
  }
}

const actor = { userId: 'bench-user', projectId: 'bench-project', roles: ['member'] };
/** Commands each VM goes through: create, its two steps, stop and its step, start and its step, rename. */
const COMMANDS_PER_VM = 8;

/**
 * Command handling end to end through the bus (load the stream, fold, decide, append), for `vms` VMs
 * with 64 in flight, as the API would drive it. No HTTP and no projections: this is the write path.
 */
export async function benchCommands(kind: StoreKind, vms: number): Promise<Rate> {
  const { config, cleanup } = freshConfig(kind);
  const app = await NestFactory.createApplicationContext(CommandsBenchModule.forRoot(config), { logger: false });
  await app.init();
  const bus = app.get(CommandBus);
  try {
    return await timed(vms * COMMANDS_PER_VM, () =>
      pool(vms, 64, async (i) => {
        const meta = { requestId: `req-${uuidv7()}`, actor };
        const vmId = uuidv7();
        const create = uuidv7();
        await bus.execute(
          new CreateServerCommand(
            { vmId, taskId: create, name: `bench-${i}`, projectId: actor.projectId, userId: actor.userId, flavorId: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null },
            meta,
          ),
        );
        const step = (taskId: string, stepId: string) =>
          bus.execute(new ExecuteVmCommand({ type: 'RecordStepSucceeded', data: { vmId, taskId, stepId, startedAt: new Date().toISOString(), host: 'node-1' } }, meta));
        await step(create, 'create-vm-object');
        await step(create, 'await-running');
        const stop = uuidv7();
        await bus.execute(new ExecuteVmCommand({ type: 'StopVM', data: { vmId, taskId: stop } }, meta));
        await step(stop, 'stop-vm');
        const start = uuidv7();
        await bus.execute(new ExecuteVmCommand({ type: 'StartVM', data: { vmId, taskId: start } }, meta));
        await step(start, 'start-vm');
        await bus.execute(new ExecuteVmCommand({ type: 'RenameVM', data: { vmId, name: `renamed-${i}` } }, meta));
      }),
    );
  } finally {
    await app.close();
    await cleanup();
  }
}

export function commandRows(kind: StoreKind, r: Rate): string {
  return `| ${kind} | commands end to end through the bus (1,000 VMs × ${COMMANDS_PER_VM}, 64 in flight) | ${fmt(r.perSecond)} commands/s | ${fmt(r.operations)} commands |`;
}
