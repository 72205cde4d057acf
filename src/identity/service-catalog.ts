import { stableId } from './stable-id.js';

export const REGION = 'RegionOne';
const INTERFACES = ['public', 'internal', 'admin'] as const;

/** The services this one process answers for, each at a path under the public URL. */
const SERVICES = [
  { type: 'compute', name: 'nova', path: '/compute/v2.1' },
  { type: 'network', name: 'neutron', path: '/network' },
  { type: 'image', name: 'glance', path: '/image' },
  { type: 'identity', name: 'keystone', path: '/identity/v3' },
] as const;

export interface CatalogEndpoint {
  id: string;
  interface: (typeof INTERFACES)[number];
  region: string;
  region_id: string;
  url: string;
}

export interface CatalogEntry {
  id: string;
  type: string;
  name: string;
  endpoints: CatalogEndpoint[];
}

/**
 * Keystone's service catalog. All three interfaces point at the same URL: there is one listener, and
 * clients pick `public` unless told otherwise. Ids derive from the type so they do not change.
 */
export function serviceCatalog(publicUrl: string): CatalogEntry[] {
  const base = publicUrl.replace(/\/+$/, '');
  return SERVICES.map((s) => ({
    id: stableId('service', s.type),
    type: s.type,
    name: s.name,
    endpoints: INTERFACES.map((iface) => ({
      id: stableId('endpoint', s.type, iface),
      interface: iface,
      region: REGION,
      region_id: REGION,
      url: `${base}${s.path}`,
    })),
  }));
}
