import { QUOTA_RESOURCES, type QuotaResource, type QuotaSet } from '../../../domain/quota/quota-resources.js';
import { isAtLeast, type Microversion } from '../microversion.js';

const GONE_IN_2_36: readonly QuotaResource[] = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules'];
const GONE_IN_2_57: readonly QuotaResource[] = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** The quota resources a microversion shows (2.36 drops the network ones, 2.57 the injected files). */
export function quotaResourcesAt(version: Microversion): QuotaResource[] {
  return QUOTA_RESOURCES.filter(
    (r) => !(isAtLeast(version, '2.36') && GONE_IN_2_36.includes(r)) && !(isAtLeast(version, '2.57') && GONE_IN_2_57.includes(r)),
  );
}

export function quotaSetBody(quotas: QuotaSet, version: Microversion, id?: string): Record<string, unknown> {
  const body: Record<string, unknown> = id === undefined ? {} : { id };
  for (const r of quotaResourcesAt(version)) body[r] = quotas[r];
  return body;
}

export function quotaSetDetailBody(quotas: QuotaSet, inUse: Partial<Record<QuotaResource, number>>, version: Microversion, id: string) {
  const body: Record<string, unknown> = { id };
  for (const r of quotaResourcesAt(version)) body[r] = { in_use: inUse[r] ?? 0, limit: quotas[r], reserved: 0 };
  return body;
}
