import type { Decider } from '../shared/decider.js';
import { isNetworkQuotaResource, type NetworkQuotaSet } from './network-quota-resources.js';
import { InvalidNetworkQuotaError } from './network-quota.errors.js';
import type { NetworkQuotaCommand, NetworkQuotaEvent } from './network-quota.events.js';

/** The limits set for one project (resources not set follow Neutron's defaults). */
export type NetworkQuotaState = Partial<NetworkQuotaSet>;

const MAX = 2_147_483_647;

export function decide(command: NetworkQuotaCommand, state: NetworkQuotaState): NetworkQuotaEvent[] {
  switch (command.type) {
    case 'SetNetworkQuotas': {
      const { projectId, limits } = command.data;
      for (const [resource, value] of Object.entries(limits)) {
        if (!isNetworkQuotaResource(resource)) throw new InvalidNetworkQuotaError(`Unrecognized attribute(s) '${resource}'`);
        if (!Number.isInteger(value) || value < -1 || value > MAX) {
          throw new InvalidNetworkQuotaError(`'${String(value)}' for ${resource} must be -1 (unlimited) or a whole number from 0 to ${MAX}.`);
        }
      }
      const changed = Object.fromEntries(Object.entries(limits).filter(([r, v]) => state[r as keyof NetworkQuotaSet] !== v));
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'NetworkQuotasSet', data: { projectId, limits: changed } }];
    }
    case 'ResetNetworkQuotas':
      if (Object.keys(state).length === 0) return [];
      return [{ type: 'NetworkQuotasReset', data: { projectId: command.data.projectId } }];
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: NetworkQuotaState, event: NetworkQuotaEvent): NetworkQuotaState {
  switch (event.type) {
    case 'NetworkQuotasSet':
      return { ...state, ...event.data.limits };
    case 'NetworkQuotasReset':
      return {};
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const networkQuotaDecider: Decider<NetworkQuotaCommand, NetworkQuotaEvent, NetworkQuotaState> = {
  decide: (command, state) => decide(command, state),
  evolve,
  initialState: () => ({}),
};
