/** Neutron's version document (GET /): one version, v2.0. */
export function networkVersionsDocument(base: string) {
  return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${base}/network/v2.0/`, rel: 'self' }] }] };
}

const RESOURCES = [
  ['network', 'networks'],
  ['subnet', 'subnets'],
  ['port', 'ports'],
  ['network_ip_availability', 'network-ip-availabilities'],
  ['quota', 'quotas'],
  ['extension', 'extensions'],
] as const;

/** GET /v2.0: the collections this cloud serves. */
export function networkV20Document(base: string) {
  return { resources: RESOURCES.map(([name, collection]) => ({ name, collection, links: [{ href: `${base}/network/v2.0/${collection}`, rel: 'self' }] })) };
}

/** The API extensions this cloud implements, by Neutron's aliases (clients probe for them). */
export const NETWORK_EXTENSIONS = [
  { alias: 'external-net', name: 'Neutron external network', description: 'router:external on networks.' },
  { alias: 'binding', name: 'Port Binding', description: 'binding:vnic_type, binding:host_id and binding:vif_type on ports.' },
  { alias: 'port-security', name: 'Port Security', description: 'port_security_enabled on ports.' },
  { alias: 'net-mtu', name: 'Network MTU', description: 'mtu on networks.' },
  { alias: 'network-ip-availability', name: 'Network IP Availability', description: 'Used and total addresses per network and subnet.' },
  { alias: 'quotas', name: 'Quota management support', description: 'Per-project quotas.' },
  { alias: 'quota_details', name: 'Quota details management support', description: 'Quota usage.' },
  { alias: 'standard-attr-description', name: 'standard-attr-description', description: 'description on networks, subnets and ports.' },
  { alias: 'standard-attr-timestamp', name: 'Resource timestamps', description: 'created_at and updated_at.' },
  { alias: 'standard-attr-revisions', name: 'Resource revision numbers', description: 'revision_number (grows with every change).' },
  { alias: 'project-id', name: 'project_id field enabled', description: 'project_id beside tenant_id.' },
].map((e) => ({ ...e, updated: '2026-11-22T00:00:00-00:00', links: [] as unknown[] }));
