import { decide, evolve, type NetworkQuotaState } from '../../../src/domain/network-quota/network-quota.decider.js';
import { effectiveNetworkQuotas, DEFAULT_NETWORK_QUOTAS } from '../../../src/domain/network-quota/network-quota-resources.js';
import { InvalidNetworkQuotaError } from '../../../src/domain/network-quota/network-quota.errors.js';
import type { NetworkQuotaEvent } from '../../../src/domain/network-quota/network-quota.events.js';

const given = (events: NetworkQuotaEvent[]): NetworkQuotaState => events.reduce(evolve, {});

describe('network quota decider', () => {
  it('given no limits, when some are set, then only the changed ones are recorded', () => {
    const state = given([{ type: 'NetworkQuotasSet', data: { projectId: 'p', limits: { network: 5 } } }]);
    expect(decide({ type: 'SetNetworkQuotas', data: { projectId: 'p', limits: { network: 5, port: 20 } } }, state)).toEqual([
      { type: 'NetworkQuotasSet', data: { projectId: 'p', limits: { port: 20 } } },
    ]);
    expect(decide({ type: 'SetNetworkQuotas', data: { projectId: 'p', limits: { network: 5 } } }, state)).toEqual([]);
  });

  it('given an unknown resource or a value below -1, then InvalidInput', () => {
    expect(() => decide({ type: 'SetNetworkQuotas', data: { projectId: 'p', limits: { volumes: 1 } as never } }, {})).toThrow(InvalidNetworkQuotaError);
    expect(() => decide({ type: 'SetNetworkQuotas', data: { projectId: 'p', limits: { network: -2 } } }, {})).toThrow(InvalidNetworkQuotaError);
    expect(() => decide({ type: 'SetNetworkQuotas', data: { projectId: 'p', limits: { network: 1.5 } } }, {})).toThrow(InvalidNetworkQuotaError);
  });

  it('given limits, when reset, then Neutron\'s defaults again; a reset of nothing records nothing', () => {
    const state = given([{ type: 'NetworkQuotasSet', data: { projectId: 'p', limits: { subnet: 1 } } }]);
    const reset = decide({ type: 'ResetNetworkQuotas', data: { projectId: 'p' } }, state);
    expect(reset).toEqual([{ type: 'NetworkQuotasReset', data: { projectId: 'p' } }]);
    expect(effectiveNetworkQuotas(given([{ type: 'NetworkQuotasSet', data: { projectId: 'p', limits: { subnet: 1 } } }, ...reset]))).toEqual(DEFAULT_NETWORK_QUOTAS);
    expect(decide({ type: 'ResetNetworkQuotas', data: { projectId: 'p' } }, {})).toEqual([]);
  });
});
