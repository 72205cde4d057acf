/**
 * The hypervisor port: libvirt on the node that runs a VM, used for hot resize (hot-add vCPUs and
 * memory in the guest, within the maximums the domain booted with).
 *
 * Contract:
 * - `setVcpus` and `setMemory` act on the live domain (scope 'live', the default), on the persistent
 *   config the next boot uses ('config'), or on both, and are idempotent: asking for the size it
 *   already has is done. They resolve once libvirt accepted the change; the guest may take a moment
 *   to bring CPUs online or take the memory, which `getDomain(...).guest` reports when known.
 * - Errors are AdapterErrors. Permanent: 'DomainNotFound' (no such domain on that node),
 *   'OverMaximum' (beyond the domain's maximum vCPUs or memory), 'DomainNotRunning' (live change on
 *   a shut-off domain), 'Invalid' (a count below 1, a config change to a domain without one),
 *   'NotSupported' (the hypervisor cannot do it). Transient: connection and timeouts.
 */
export interface HypervisorPort {
  getDomain(ref: DomainRef): Promise<DomainInfo | null>;
  setVcpus(ref: DomainRef, count: number, scope?: ResizeScope): Promise<void>;
  setMemory(ref: DomainRef, memoryMiB: number, scope?: ResizeScope): Promise<void>;
  /** libvirt's domain XML: what the guest has now ('live') or what it boots with next ('config'). */
  getDomainXml(ref: DomainRef, which: 'live' | 'config'): Promise<string | null>;
  /**
   * The outgoing live migration libvirt is running for the domain on this node (its job info), or
   * null when there is none: no domain, no job, or a job that is not an outgoing migration. Ask the
   * source node: KubeVirt writes no memory progress on its objects, libvirt's job is where it is.
   * 'NotSupported' when the hypervisor keeps no job statistics (libvirt's test driver).
   */
  getMigrationJob(ref: DomainRef): Promise<MigrationJob | null>;
  /**
   * Lifecycle and size changes of domains on every node, as libvirt's domain events report them. A
   * watch may begin by reporting the domains already there as ADDED (the libvirt adapter does).
   */
  watchDomains(listener: (change: DomainChange) => void): { stop(): void };
}

export type HypervisorOperation = Exclude<keyof HypervisorPort, 'watchDomains'>;

/** Which definition a resize changes: the running guest, the persistent config, or both. */
export type ResizeScope = 'live' | 'config' | 'both';

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
  /** The sizes the next boot uses (libvirt's persistent config); null for a transient domain. */
  persistent: { vcpus: number; memoryMiB: number } | null;
  /** What the guest itself reports (through its agent); null when it cannot say. */
  guest: { vcpusOnline: number; memoryMiB: number } | null;
}

/**
 * libvirt's memory figures of a migration job (virDomainGetJobStats memory_total/_processed/_remaining),
 * in bytes. Processed counts every page sent, so pages the guest dirtied again count twice: it can
 * exceed the total, and processed + remaining need not equal it.
 */
export interface MigrationJob {
  memoryTotalBytes: number;
  memoryProcessedBytes: number;
  memoryRemainingBytes: number;
}

export interface DomainChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** For DELETED, the last state seen. */
  domain: DomainInfo;
}
