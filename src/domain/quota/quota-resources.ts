/** Nova's quota resources (os-quota-sets keys). -1 means unlimited. */
export const QUOTA_RESOURCES = [
  'instances',
  'cores',
  'ram',
  'key_pairs',
  'metadata_items',
  'server_groups',
  'server_group_members',
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
  'fixed_ips',
  'floating_ips',
  'security_groups',
  'security_group_rules',
] as const;

export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

export type QuotaSet = Record<QuotaResource, number>;

/** Nova's default quotas (its [quota] options), what every project has until an admin sets its own. */
export const DEFAULT_QUOTAS: Readonly<QuotaSet> = {
  instances: 10,
  cores: 20,
  ram: 51200,
  key_pairs: 100,
  metadata_items: 128,
  server_groups: 10,
  server_group_members: 10,
  injected_files: 5,
  injected_file_content_bytes: 10240,
  injected_file_path_bytes: 255,
  fixed_ips: -1,
  floating_ips: 10,
  security_groups: 10,
  security_group_rules: 20,
};

export const UNLIMITED = -1;

/** A project's effective quotas: the defaults overlaid with what was set for it. */
export function effectiveQuotas(overrides: Partial<QuotaSet>, defaults: Readonly<QuotaSet> = DEFAULT_QUOTAS): QuotaSet {
  return { ...defaults, ...overrides };
}
