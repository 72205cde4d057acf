import { AuditLogProjection } from './audit/audit-log.projection.js';
import { FlavorsProjection } from './flavors/flavors.projection.js';
import { ImagesProjection } from './images/images.projection.js';
import { ProjectQuotasProjection } from './quotas/project-quotas.projection.js';
import { KeypairsProjection } from './keypairs/keypairs.projection.js';
import { InstanceActionsProjection } from './instance-actions/instance-actions.projection.js';
import type { Projection } from './projection.js';
import { ServersProjection } from './servers/servers.projection.js';
import { NetworksProjection, PortsProjection, SubnetsProjection } from './networking/networks.projection.js';
import { MigrationsProjection } from './migrations/migrations.projection.js';

/** Every read model the service keeps, in the order a batch folds them. */
export function createAllProjections(): Projection[] {
  return [new ServersProjection(), new InstanceActionsProjection(), new AuditLogProjection(), new FlavorsProjection(), new KeypairsProjection(), new ProjectQuotasProjection(), new ImagesProjection(), new MigrationsProjection(), new NetworksProjection(), new SubnetsProjection(), new PortsProjection()];
}
