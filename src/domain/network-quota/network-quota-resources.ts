/** Neutron's quota resources (GET /v2.0/quotas/{project_id} keys). -1 means unlimited. */
export const NETWORK_QUOTA_RESOURCES = ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group', 'security_group_rule', 'rbac_policy', 'subnetpool'] as const;

export type NetworkQuotaResource = (typeof NETWORK_QUOTA_RESOURCES)[number];

export type NetworkQuotaSet = Record<NetworkQuotaResource, number>;

/** Neutron's [quotas] defaults: what every project has until an admin sets its own. */
export const DEFAULT_NETWORK_QUOTAS: Readonly<NetworkQuotaSet> = {
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
  rbac_policy: 10,
  subnetpool: -1,
};

export const isNetworkQuotaResource = (name: string): name is NetworkQuotaResource => (NETWORK_QUOTA_RESOURCES as readonly string[]).includes(name);

export function effectiveNetworkQuotas(overrides: Partial<NetworkQuotaSet>): NetworkQuotaSet {
  return { ...DEFAULT_NETWORK_QUOTAS, ...overrides };
}
