/**
 * A flavor as a VM keeps it: CreateVM copies the flavor into the VM (as Nova does), so a later change
 * or deletion of the flavor does not change a running VM. maxVcpus/maxRamMb are the hotplug headroom
 * the VM boots with (KubeVirt's maxSockets / maxGuest).
 */
export interface FlavorSnapshot {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  ephemeralGb: number;
  swapMb: number;
  maxVcpus: number;
  maxRamMb: number;
  extraSpecs: Record<string, string>;
}
