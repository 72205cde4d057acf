import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { HandlersModule } from '../../handlers/handlers.module.js';
import { DeleteNetworkHandler } from '../../handlers/networking/delete-network.handler.js';
import { ExecuteNetworkCommandHandler } from '../../handlers/networking/execute-network-command.handler.js';
import { ExecuteNetworkQuotaCommandHandler } from '../../handlers/networking/execute-network-quota-command.handler.js';
import { ExecutePortCommandHandler } from '../../handlers/networking/execute-port-command.handler.js';
import { ExecuteSubnetCommandHandler } from '../../handlers/networking/execute-subnet-command.handler.js';
import { NetworkingStreams } from '../../handlers/networking/networking-streams.js';
import { CreatePortHandler, DeletePortHandler } from '../../handlers/networking/port-flows.handler.js';
import { CreateSubnetHandler, DeleteSubnetHandler } from '../../handlers/networking/subnet-flows.handler.js';
import { ProjectionsModule } from '../../projections/projections.module.js';
import { publicUrl } from '../auth/public-url.js';
import { IpAvailabilitiesController } from './ip-availabilities.controller.js';
import { NetworkQuotas } from './network-quotas.js';
import { NetworkQuotasController } from './network-quotas.controller.js';
import { NetworkReads } from './network-reads.js';
import { NetworkResourcesController, NetworkVersionsController } from './network-versions.controller.js';
import { networkV20Document, networkVersionsDocument } from './network-versions.js';
import { CommandWriter } from '../shared/command-writer.js';
import { NetworksController } from './networks.controller.js';
import { PortsController } from './ports.controller.js';
import { SubnetsController } from './subnets.controller.js';

const COMMAND_HANDLERS = [
  ExecuteNetworkCommandHandler,
  ExecuteSubnetCommandHandler,
  ExecutePortCommandHandler,
  ExecuteNetworkQuotaCommandHandler,
  CreateSubnetHandler,
  DeleteSubnetHandler,
  CreatePortHandler,
  DeletePortHandler,
  DeleteNetworkHandler,
];

/** Neutron's API under /network: networks, subnets, ports, IP availability, quotas. */
@Module({
  imports: [HandlersModule, ProjectionsModule],
  controllers: [NetworkVersionsController, NetworkResourcesController, NetworksController, SubnetsController, PortsController, IpAvailabilitiesController, NetworkQuotasController],
  providers: [NetworkingStreams, NetworkReads, CommandWriter, NetworkQuotas, ...COMMAND_HANDLERS],
  // Nova's side asks Neutron's for port quota room and network visibility (boot networks, os-interface).
  exports: [NetworkQuotas, NetworkReads],
})
export class NetworkApiModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The version document links end in a slash (as Neutron's do); Nest cannot route those, Fastify can. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const base = publicUrl(this.config);
    fastify.get('/network/', async () => networkVersionsDocument(base));
    fastify.get('/network/v2.0/', async () => networkV20Document(base));
  }
}
