import type { NetworkView } from '../../projections/networking/network-view.js';
import type { PortView } from '../../projections/networking/port-view.js';
import type { SubnetView } from '../../projections/networking/subnet-view.js';
import type { VnicType } from '../../domain/port/vnic-type.js';

/** Neutron's timestamps: UTC to the second ("2026-11-22T10:00:00Z"). */
export const neutronTime = (iso: string): string => `${iso.slice(0, 19)}Z`;

/** Neutron spells OVS-DPDK's vnic type 'vhost-user'; the domain's binding is 'vhostuser'. */
export const VNIC_TO_NEUTRON: Record<VnicType, string> = { normal: 'normal', macvtap: 'macvtap', direct: 'direct', vhostuser: 'vhost-user' };
export const VNIC_FROM_NEUTRON: Record<string, VnicType> = { normal: 'normal', macvtap: 'macvtap', direct: 'direct', 'vhost-user': 'vhostuser', vhostuser: 'vhostuser' };

/**
 * revision_number is the global position of the resource's last event: it grows with every change,
 * as Neutron's does, though by more than one.
 */
export function networkBody(n: NetworkView, revision: number): Record<string, unknown> {
  return {
    id: n.id,
    name: n.name,
    description: n.description,
    admin_state_up: n.adminStateUp,
    status: 'ACTIVE',
    subnets: n.subnets.map((s) => s.subnetId),
    shared: n.shared,
    'router:external': n.external,
    mtu: n.mtu,
    project_id: n.projectId,
    tenant_id: n.projectId,
    port_security_enabled: true,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    is_default: false,
    l2_adjacency: true,
    tags: [],
    created_at: neutronTime(n.createdAt),
    updated_at: neutronTime(n.updatedAt),
    revision_number: revision,
  };
}

export function subnetBody(s: SubnetView, revision: number): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    network_id: s.networkId,
    ip_version: s.ipVersion,
    cidr: s.cidr,
    gateway_ip: s.gatewayIp,
    allocation_pools: s.allocationPools.map((p) => ({ start: p.start, end: p.end })),
    host_routes: [],
    dns_nameservers: s.dnsNameservers,
    enable_dhcp: s.enableDhcp,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    use_default_subnet_pool: false,
    service_types: [],
    segment_id: null,
    dns_publish_fixed_ip: false,
    project_id: s.projectId,
    tenant_id: s.projectId,
    tags: [],
    created_at: neutronTime(s.createdAt),
    updated_at: neutronTime(s.updatedAt),
    revision_number: revision,
  };
}

export function portBody(p: PortView, revision: number): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    network_id: p.networkId,
    admin_state_up: p.adminStateUp,
    status: p.status,
    mac_address: p.macAddress,
    fixed_ips: p.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
    device_id: p.deviceId,
    device_owner: p.deviceOwner,
    'binding:vnic_type': VNIC_TO_NEUTRON[p.vnicType],
    'binding:host_id': p.hostId ?? '',
    'binding:vif_type': p.vifType,
    'binding:vif_details': {},
    'binding:profile': {},
    port_security_enabled: p.portSecurityEnabled,
    security_groups: p.securityGroups,
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    ip_allocation: 'immediate',
    propagate_uplink_status: false,
    project_id: p.projectId,
    tenant_id: p.projectId,
    tags: [],
    created_at: neutronTime(p.createdAt),
    updated_at: neutronTime(p.updatedAt),
    revision_number: revision,
  };
}
