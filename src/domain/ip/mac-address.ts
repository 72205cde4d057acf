/** Neutron's default base_mac: a locally administered (0x02 set), unicast (0x01 clear) prefix. */
export const GENERATED_MAC_PREFIX = 'fa:16:3e';

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/**
 * A MAC a port may use, in canonical form (lower case, colons); null when it is not six octets, or is
 * all zeros, or is a multicast address (the low bit of the first octet), which no NIC may own.
 */
export function canonicalMac(text: string): string | null {
  if (typeof text !== 'string' || !MAC.test(text)) return null;
  const mac = text.toLowerCase().replace(/-/g, ':');
  if (mac === '00:00:00:00:00:00' || parseInt(mac.slice(0, 2), 16) % 2 === 1) return null;
  return mac;
}

/**
 * A generated MAC under GENERATED_MAC_PREFIX from three random bytes. The domain draws no random
 * numbers: the handler passes the bytes in, and draws again when the network says the MAC is taken
 * (Neutron retries the same way, mac_generation_retries).
 */
export function generatedMac(randomBytes: readonly [number, number, number]): string {
  return [GENERATED_MAC_PREFIX, ...randomBytes.map((b) => (b & 0xff).toString(16).padStart(2, '0'))].join(':');
}
