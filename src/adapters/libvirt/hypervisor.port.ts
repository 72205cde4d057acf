/**
 * The hypervisor port: libvirt on the node that runs a VM, used for hot resize (hot-add vCPUs and
 * memory in the guest, within the maximums the domain booted with).
 *
 * Contract:
 * - `setVcpus` and `setMemory` act on the live domain and are idempotent: asking for the size it
 *   already has is done. They resolve once libvirt accepted the change; the guest may take a moment
 *   to bring CPUs online or take the memory, which `getDomain(...).guest` reports when known.
 * - Errors are AdapterErrors. Permanent: 'DomainNotFound' (no such domain on that node),
 *   'OverMaximum' (beyond the domain's maximum vCPUs or memory), 'DomainNotRunning' (live change on
 *   a shut-off domain), 'Invalid' (a count below 1). Transient: connection and timeouts.
 */
export interface HypervisorPort {
  getDomain(ref: DomainRef): Promise<DomainInfo | null>;
  setVcpus(ref: DomainRef, count: number): Promise<void>;
  setMemory(ref: DomainRef, memoryMiB: number): Promise<void>;
  /** Lifecycle and size changes of domains on every node, as libvirt's domain events report them. */
  watchDomains(listener: (change: DomainChange) => void): { stop(): void };
}

export type HypervisorOperation = Exclude<keyof HypervisorPort, 'watchDomains'>;

/** A VM's domain is found by our vmId on the node KubeVirt placed it on. */
export interface DomainRef {
  vmId: string;
  node: string;
}

/** libvirt's virDomainState, in lower case. */
export type DomainState = 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended';

export interface DomainInfo {
  ref: DomainRef;
  state: DomainState;
  vcpus: { current: number; max: number };
  memoryMiB: { current: number; max: number };
  /** What the guest itself reports (through its agent); null when it cannot say. */
  guest: { vcpusOnline: number; memoryMiB: number } | null;
}

export interface DomainChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** For DELETED, the last state seen. */
  domain: DomainInfo;
}
