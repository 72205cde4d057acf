/**
 * Neutron's binding:vnic_type values the seeds list, passed through to the cluster as the KubeVirt
 * interface binding: normal (a bridge on the OVN logical switch, the default), macvtap, direct
 * (SR-IOV) and vhostuser (OVS-DPDK). Other Neutron values (direct-physical, baremetal, vdpa, ...)
 * have no KubeVirt binding here and are refused.
 */
export const VNIC_TYPES = ['normal', 'macvtap', 'direct', 'vhostuser'] as const;

export type VnicType = (typeof VNIC_TYPES)[number];

export const isVnicType = (value: unknown): value is VnicType => (VNIC_TYPES as readonly unknown[]).includes(value);

/** Neutron's binding:vif_type for a bound port of each vnic_type (what OVN's mechanism driver reports). */
export const VIF_TYPES: Record<VnicType, string> = { normal: 'ovs', macvtap: 'macvtap', direct: 'hw_veb', vhostuser: 'vhostuser' };
