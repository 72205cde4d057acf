import type { NetworkQuotaSet } from './network-quota-resources.js';

export type NetworkQuotaCommand =
  | { type: 'SetNetworkQuotas'; data: { projectId: string; limits: Partial<NetworkQuotaSet> } }
  | { type: 'ResetNetworkQuotas'; data: { projectId: string } };

export type NetworkQuotaEvent =
  /** The limits given replace those resources' earlier values; the others are untouched. */
  | { type: 'NetworkQuotasSet'; data: { projectId: string; limits: Partial<NetworkQuotaSet> } }
  /** Back to Neutron's defaults for every resource. */
  | { type: 'NetworkQuotasReset'; data: { projectId: string } };

export const NETWORK_QUOTA_EVENT_VERSIONS: Record<NetworkQuotaEvent['type'], number> = { NetworkQuotasSet: 1, NetworkQuotasReset: 1 };

/** Not under 'network-': the networks read model folds every stream with that prefix. */
export const networkQuotaStreamId = (projectId: string): string => `neutron-quota-${projectId}`;
