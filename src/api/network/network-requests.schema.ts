import { z } from 'zod';

const text = z.string().max(255);
const projectFields = { project_id: z.string().min(1).optional(), tenant_id: z.string().min(1).optional() };

export const createNetworkSchema = z.object({
  name: text.optional(),
  description: text.optional(),
  admin_state_up: z.boolean().optional(),
  shared: z.boolean().optional(),
  'router:external': z.boolean().optional(),
  mtu: z.number().int().optional(),
  port_security_enabled: z.literal(true, { message: 'port security cannot be disabled on a network of this cloud' }).optional(),
  availability_zone_hints: z.array(z.string()).max(0, { message: 'availability zone hints are not supported by this cloud' }).optional(),
  ...projectFields,
});

/** What a network's update may change: its create's attributes less the one-time ones. */
export const updateNetworkSchema = createNetworkSchema.pick({ name: true, description: true, admin_state_up: true, shared: true, 'router:external': true, mtu: true });

const pool = z.object({ start: z.string(), end: z.string() }).strict();

export const createSubnetSchema = z.object({
  network_id: z.string().min(1),
  cidr: z.string().min(1, { message: 'a cidr is required (subnet pools are not supported by this cloud)' }),
  ip_version: z.union([z.literal(4), z.literal(6)]),
  name: text.optional(),
  description: text.optional(),
  gateway_ip: z.string().nullable().optional(),
  allocation_pools: z.array(pool).optional(),
  dns_nameservers: z.array(z.string()).optional(),
  enable_dhcp: z.boolean().optional(),
  host_routes: z.array(z.unknown()).max(0, { message: 'host routes are not supported by this cloud' }).optional(),
  ipv6_ra_mode: z.null({ message: 'IPv6 RA modes are not supported by this cloud' }).optional(),
  ipv6_address_mode: z.null({ message: 'IPv6 address modes are not supported by this cloud' }).optional(),
  subnetpool_id: z.null({ message: 'subnet pools are not supported by this cloud' }).optional(),
  use_default_subnet_pool: z.literal(false, { message: 'subnet pools are not supported by this cloud' }).optional(),
  ...projectFields,
});

/** What a subnet's update may change (Neutron's: not its network, CIDR or IP version). */
export const updateSubnetSchema = createSubnetSchema.pick({ name: true, description: true, gateway_ip: true, allocation_pools: true, dns_nameservers: true, enable_dhcp: true });

const fixedIp = z.object({ subnet_id: z.string().min(1).optional(), ip_address: z.string().min(1).optional() }).strict();

export const createPortSchema = z.object({
  network_id: z.string().min(1),
  name: text.optional(),
  description: text.optional(),
  admin_state_up: z.boolean().optional(),
  mac_address: z.string().optional(),
  fixed_ips: z.array(fixedIp).optional(),
  device_id: z.string().max(255).optional(),
  device_owner: z.string().max(255).optional(),
  'binding:vnic_type': z.string().optional(),
  'binding:host_id': z.string().max(0, { message: 'a port is bound to a host by attaching it to a server (os-interface)' }).optional(),
  'binding:profile': z.record(z.string(), z.unknown()).refine((o) => Object.keys(o).length === 0, { message: 'binding profiles are not supported by this cloud' }).optional(),
  port_security_enabled: z.boolean().optional(),
  security_groups: z.array(z.string()).optional(),
  allowed_address_pairs: z.array(z.unknown()).max(0, { message: 'allowed address pairs are not supported by this cloud' }).optional(),
  extra_dhcp_opts: z.array(z.unknown()).max(0, { message: 'extra DHCP options are not supported by this cloud' }).optional(),
  ...projectFields,
});

export const updatePortSchema = z.object({
  name: text.optional(),
  description: text.optional(),
  admin_state_up: z.boolean().optional(),
  fixed_ips: z.array(fixedIp).optional(),
  device_id: z.string().max(255).optional(),
  device_owner: z.string().max(255).optional(),
  mac_address: z.string().optional(),
  'binding:vnic_type': z.string().optional(),
  'binding:host_id': z.string().optional(),
  port_security_enabled: z.boolean().optional(),
  security_groups: z.array(z.string()).optional(),
  allowed_address_pairs: z.array(z.unknown()).max(0, { message: 'allowed address pairs are not supported by this cloud' }).optional(),
  extra_dhcp_opts: z.array(z.unknown()).max(0, { message: 'extra DHCP options are not supported by this cloud' }).optional(),
});

export const quotaSchema = z.object({
  network: z.number().int().optional(),
  subnet: z.number().int().optional(),
  port: z.number().int().optional(),
  router: z.number().int().optional(),
  floatingip: z.number().int().optional(),
  security_group: z.number().int().optional(),
  security_group_rule: z.number().int().optional(),
  rbac_policy: z.number().int().optional(),
  subnetpool: z.number().int().optional(),
});

/** The query a list takes is open-ended (any filterable attribute); documented as a free-form object. */
export const neutronListQuerySchema = z
  .object({
    fields: z.string().optional(),
    sort_key: z.string().optional(),
    sort_dir: z.enum(['asc', 'desc']).optional(),
    limit: z.string().optional(),
    marker: z.string().optional(),
  })
  .catchall(z.string());
