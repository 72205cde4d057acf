import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '../adapters/event-store/event-store.port.js';
import type { SnapshotStore } from '../adapters/snapshots/snapshot-store.port.js';
import { EVENT_STORE, SNAPSHOT_STORE } from '../app/tokens.js';
import { CreateServerHandler } from './virtual-machine/create-server.handler.js';
import { ExecuteVmCommandHandler } from './virtual-machine/execute-vm-command.handler.js';
import { ExecuteFlavorCommandHandler } from './flavor/execute-flavor-command.handler.js';
import { seedDefaultFlavors } from './flavor/seed-default-flavors.js';
import { AggregateExecutor } from './shared/aggregate-executor.js';
import { Clock, IdGenerator, SystemClock } from './shared/clock.js';
import { UuidV7Generator } from './shared/uuid-v7-generator.js';

const COMMAND_HANDLERS = [ExecuteVmCommandHandler, CreateServerHandler, ExecuteFlavorCommandHandler];

@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: UuidV7Generator },
    {
      provide: AggregateExecutor,
      inject: [EVENT_STORE, SNAPSHOT_STORE, Clock, IdGenerator],
      useFactory: (store: EventStore, snapshots: SnapshotStore, clock: Clock, ids: IdGenerator) => new AggregateExecutor(store, clock, ids, { snapshots }),
    },
    ...COMMAND_HANDLERS,
  ],
  exports: [CqrsModule, AggregateExecutor, Clock, IdGenerator],
})
export class HandlersModule implements OnApplicationBootstrap {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await seedDefaultFlavors(this.commandBus, `req-${this.ids.next()}`);
  }
}
