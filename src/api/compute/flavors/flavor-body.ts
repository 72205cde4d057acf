import type { FlavorView } from '../../../projections/flavors/flavor-row.js';
import { isAtLeast as atLeast, type Microversion } from '../microversion.js';

/**
 * Extra specs that show the hotplug headroom (KubeVirt's maxSockets / maxGuest): how far a VM of the
 * flavor can be hot-resized without a reboot. Read-only: set when the flavor is created.
 */
export const MAX_VCPUS_SPEC = 'hw:max_vcpus';
export const MAX_RAM_MB_SPEC = 'hw:max_ram_mb';
export const HEADROOM_SPECS: readonly string[] = [MAX_VCPUS_SPEC, MAX_RAM_MB_SPEC];

/** The flavor's extra specs as users see them: its own plus the headroom. */
export function visibleExtraSpecs(flavor: FlavorView): Record<string, string> {
  return { ...flavor.extraSpecs, [MAX_VCPUS_SPEC]: String(flavor.maxVcpus), [MAX_RAM_MB_SPEC]: String(flavor.maxRamMb) };
}

export function flavorLinks(baseUrl: string, id: string) {
  const encoded = encodeURIComponent(id);
  return [
    { href: `${baseUrl}/compute/v2.1/flavors/${encoded}`, rel: 'self' },
    { href: `${baseUrl}/compute/flavors/${encoded}`, rel: 'bookmark' },
  ];
}

/** GET /flavors: id, links, name (and description from 2.55). */
export function flavorSummary(flavor: FlavorView, version: Microversion, baseUrl: string) {
  return {
    id: flavor.id,
    links: flavorLinks(baseUrl, flavor.id),
    name: flavor.name,
    ...(atLeast(version, '2.55') ? { description: flavor.description } : {}),
  };
}

/** Nova's flavor detail for the microversion (views/flavors.py). */
export function flavorDetail(flavor: FlavorView, version: Microversion, baseUrl: string) {
  return {
    id: flavor.id,
    name: flavor.name,
    ram: flavor.ramMb,
    disk: flavor.diskGb,
    // Before 2.75 Nova shows no swap as an empty string.
    swap: flavor.swapMb || (atLeast(version, '2.75') ? 0 : ''),
    'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeralGb,
    'OS-FLV-DISABLED:disabled': false,
    vcpus: flavor.vcpus,
    'os-flavor-access:is_public': flavor.isPublic,
    rxtx_factor: 1.0,
    links: flavorLinks(baseUrl, flavor.id),
    ...(atLeast(version, '2.55') ? { description: flavor.description } : {}),
    ...(atLeast(version, '2.61') ? { extra_specs: visibleExtraSpecs(flavor) } : {}),
  };
}
