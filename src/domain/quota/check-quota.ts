import { UNLIMITED } from './quota-resources.js';

/** What a server create (or resize) counts against: instances, vCPUs, MB of RAM. */
export interface ComputeResources {
  instances: number;
  cores: number;
  ram: number;
}

/** Limits per resource; -1 is unlimited. */
export type ComputeLimits = ComputeResources;

export type QuotaCheck =
  | { ok: true }
  | {
      ok: false;
      /** Every resource the request would overrun, in the order instances, cores, ram. */
      overs: { resource: keyof ComputeResources; requested: number; used: number; limit: number }[];
      /** Nova's message: "Quota exceeded for cores: Requested 4, but already used 18 of 20 cores". */
      message: string;
    };

const ORDER: (keyof ComputeResources)[] = ['instances', 'cores', 'ram'];

/**
 * Would `request` on top of `usage` stay within `limits`? Pure: the caller counts usage (the servers
 * read model of the project) and reads the limits (the project's quota set). Nova answers an overrun
 * with 403 Forbidden and this message.
 */
export function checkQuota(usage: ComputeResources, request: ComputeResources, limits: ComputeLimits): QuotaCheck {
  const overs = ORDER.filter((r) => request[r] > 0 && limits[r] !== UNLIMITED && usage[r] + request[r] > limits[r]).map((resource) => ({
    resource,
    requested: request[resource],
    used: usage[resource],
    limit: limits[resource],
  }));
  if (overs.length === 0) return { ok: true };
  const names = overs.map((o) => o.resource).join(', ');
  const first = overs[0]!;
  return {
    ok: false,
    overs,
    message: `Quota exceeded for ${names}: Requested ${first.requested}, but already used ${first.used} of ${first.limit} ${first.resource}`,
  };
}
