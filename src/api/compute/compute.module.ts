import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { HandlersModule } from '../../handlers/handlers.module.js';
import { ProjectionsModule } from '../../projections/projections.module.js';
import { NetworkApiModule } from '../network/network-api.module.js';
import { publicUrl } from '../auth/public-url.js';
import { ComputeVersionsController } from './compute-versions.controller.js';
import { computeV20Document, computeV21Document, computeVersionsDocument } from './compute-versions.js';
import { onRequestHook } from './request.hook.js';
import { ComputeWrites } from './compute-writes.js';
import { InstanceActionsController } from './instance-actions.controller.js';
import { ServerActionsController } from './server-actions.controller.js';
import { ServersController } from './servers.controller.js';
import { OsMigrationsController } from './migrations/os-migrations.controller.js';
import { ServerMigrationsController } from './migrations/server-migrations.controller.js';
import { OsInterfaceController } from './interfaces/os-interface.controller.js';
import { InterfaceAttachments } from './interfaces/interface-attachments.js';
import { BootNetworks } from './boot-networks.js';

/** Nova's compute API v2.1 under /compute: versions, servers, server actions, instance actions. */
@Module({
  imports: [HandlersModule, ProjectionsModule, NetworkApiModule],
  controllers: [ComputeVersionsController, ServersController, ServerActionsController, InstanceActionsController, ServerMigrationsController, OsMigrationsController, OsInterfaceController],
  providers: [ComputeWrites, InterfaceAttachments, BootNetworks],
})
export class ComputeModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Request ids, microversions and the body limit for every request, from a Fastify hook added here
   * so that every way the app is created gets it (Fastify applies a root hook to all routes, those
   * added before it included, and to its not-found handler when it becomes ready).
   * The version documents' own links end in a slash (as Nova's do); Nest cannot route those, Fastify can.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onRequest', onRequestHook);
    const base = publicUrl(this.config);
    fastify.get('/compute/', async () => computeVersionsDocument(base));
    fastify.get('/compute/v2.1/', async () => computeV21Document(base));
    fastify.get('/compute/v2/', async () => computeV20Document(base));
  }
}
