/**
 * MTU of a tenant network carried in Geneve (OVN, as Kube-OVN and Neutron's OVN driver run it): a
 * 1500-byte physical network less Geneve's 58 bytes of overhead, Neutron's default for Geneve.
 */
export const DEFAULT_MTU = 1442;

/** RFC 791's smallest IPv4 MTU; a network with an IPv6 subnet needs RFC 8200's 1280. */
export const MIN_MTU = 68;
export const MIN_MTU_IPV6 = 1280;

/** A 9000-byte jumbo-frame physical network less the Geneve overhead. */
export const MAX_MTU = 9000 - 58;
