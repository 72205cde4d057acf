import { Injectable } from '@nestjs/common';
import { effectiveNetworkQuotas, type NetworkQuotaResource, type NetworkQuotaSet } from '../../domain/network-quota/network-quota-resources.js';
import { networkQuotaDecider } from '../../domain/network-quota/network-quota.decider.js';
import { networkQuotaStreamId } from '../../domain/network-quota/network-quota.events.js';
import { AggregateExecutor } from '../../handlers/shared/aggregate-executor.js';
import { NeutronConflict } from './neutron-errors.js';
import { NetworkReads } from './network-reads.js';

const COUNTED = { network: 'networks', subnet: 'subnets', port: 'ports' } as const;
type Counted = keyof typeof COUNTED;

/**
 * A project's Neutron quotas: its limits folded from its quota stream (small and cached by the
 * executor, so no read model is needed) over Neutron's defaults; usage counted from the read models.
 */
@Injectable()
export class NetworkQuotas {
  constructor(
    private readonly executor: AggregateExecutor,
    private readonly reads: NetworkReads,
  ) {}

  async overrides(projectId: string): Promise<Partial<NetworkQuotaSet>> {
    return (await this.executor.load(networkQuotaStreamId(projectId), networkQuotaDecider)).state;
  }

  async limits(projectId: string): Promise<NetworkQuotaSet> {
    return effectiveNetworkQuotas(await this.overrides(projectId));
  }

  async usage(projectId: string): Promise<Record<NetworkQuotaResource, number>> {
    const [network, subnet, port] = await Promise.all((Object.keys(COUNTED) as Counted[]).map((r) => this.reads.countOf(COUNTED[r], projectId)));
    return { network: network!, subnet: subnet!, port: port!, router: 0, floatingip: 0, security_group: 0, security_group_rule: 0, rbac_policy: 0, subnetpool: 0 };
  }

  /** Whether `wanted` more of the resource fit the project's limit (a negative limit: unlimited). */
  async hasRoom(projectId: string, resource: Counted, wanted = 1): Promise<boolean> {
    const limit = (await this.limits(projectId))[resource];
    if (limit < 0) return true;
    return (await this.reads.countOf(COUNTED[resource], projectId)) + wanted <= limit;
  }

  /** Neutron's OverQuota (409) when one more of the resource would pass the project's limit. */
  async assertRoom(projectId: string, resource: Counted): Promise<void> {
    if (!(await this.hasRoom(projectId, resource))) {
      throw new NeutronConflict(`Quota exceeded for resources: ['${resource}'].`, 'OverQuota');
    }
  }
}
