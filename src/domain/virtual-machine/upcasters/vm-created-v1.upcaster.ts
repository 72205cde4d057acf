/**
 * VMCreated v1 (older logs) carried a flavor snapshot without the hotplug headroom, ephemeral/swap
 * sizes and extra specs, and no availability zone. A v1 VM booted with no headroom, so its maximum
 * is its size; the rest were Nova's defaults at the time.
 */
export const vmCreatedV1Upcaster = {
  type: 'VMCreated',
  fromVersion: 1,
  upcast(data: unknown): unknown {
    const v1 = data as { flavor: { vcpus: number; ramMb: number } & Record<string, unknown> } & Record<string, unknown>;
    return {
      ...v1,
      flavor: {
        ...v1.flavor,
        maxVcpus: v1.flavor.maxVcpus ?? v1.flavor.vcpus,
        maxRamMb: v1.flavor.maxRamMb ?? v1.flavor.ramMb,
        ephemeralGb: v1.flavor.ephemeralGb ?? 0,
        swapMb: v1.flavor.swapMb ?? 0,
        extraSpecs: v1.flavor.extraSpecs ?? {},
      },
      availabilityZone: v1.availabilityZone ?? null,
    };
  },
} as const;
