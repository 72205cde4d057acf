import type { FlavorCommand } from './flavor.commands.js';

type CreateFlavorData = Extract<FlavorCommand, { type: 'CreateFlavor' }>['data'];

const flavor = (id: string, name: string, vcpus: number, ramMb: number, diskGb: number): CreateFlavorData => ({
  id,
  name,
  vcpus,
  ramMb,
  diskGb,
  ephemeralGb: 0,
  swapMb: 0,
  // Headroom for hot resize without a reboot: 4x the vCPUs and memory the flavor boots with.
  maxVcpus: vcpus * 4,
  maxRamMb: ramMb * 4,
  extraSpecs: {},
  isPublic: true,
  description: null,
});

/** The catalogue a fresh installation starts with (the classic m1 sizes, as devstack seeds them). */
export const DEFAULT_FLAVORS: readonly CreateFlavorData[] = [
  flavor('1', 'm1.tiny', 1, 512, 1),
  flavor('2', 'm1.small', 1, 2048, 20),
  flavor('3', 'm1.medium', 2, 4096, 40),
  flavor('4', 'm1.large', 4, 8192, 80),
  flavor('5', 'm1.xlarge', 8, 16384, 160),
];
