import { randomUUID } from 'node:crypto';

export type GuestDomainState = 'running' | 'paused' | 'shut off';

/** One VM's libvirt domain inside its virt-launcher pod, as the built-in guest model keeps it. */
export interface GuestDomain {
  /** libvirt's name for a KubeVirt domain: <namespace>_<vmi name>. */
  name: string;
  namespace: string;
  vmiName: string;
  uuid: string;
  id: number;
  state: GuestDomainState;
  vcpus: { current: number; max: number };
  memoryKiB: { current: number; max: number };
  /**
   * The VMI interfaces (by name) plugged into the domain: what virt-handler reports with infoSource
   * `domain`. Absent in a state file from before it was kept: none.
   */
  nics?: string[];
  /** The outgoing migration libvirt on the source runs while the migration controller copies memory. */
  migrationJob?: GuestMigrationJob;
}

/** libvirt's job statistics of a migration, in bytes (virDomainGetJobStats memory_*). */
export interface GuestMigrationJob {
  sourceNode: string;
  startedAtMs: number;
  memoryTotalBytes: number;
  memoryProcessedBytes: number;
  memoryRemainingBytes: number;
}

export interface DomainShape {
  vcpus: number;
  maxVcpus: number;
  memoryKiB: number;
  maxMemoryKiB: number;
}

/** The domains of every running VMI, keyed by <namespace>_<name>. */
export class GuestDomains {
  private readonly domains = new Map<string, GuestDomain>();
  private nextId = 1;

  static domainName(namespace: string, vmiName: string): string {
    return `${namespace}_${vmiName}`;
  }

  ensure(namespace: string, vmiName: string, shape: DomainShape, uuid?: string): GuestDomain {
    const name = GuestDomains.domainName(namespace, vmiName);
    const existing = this.domains.get(name);
    if (existing) return existing;
    const domain: GuestDomain = {
      name, namespace, vmiName, uuid: uuid ?? randomUUID(), id: this.nextId++, state: 'running',
      vcpus: { current: shape.vcpus, max: Math.max(shape.vcpus, shape.maxVcpus) },
      memoryKiB: { current: shape.memoryKiB, max: Math.max(shape.memoryKiB, shape.maxMemoryKiB) },
    };
    this.domains.set(name, domain);
    return domain;
  }

  get(namespace: string, vmiName: string): GuestDomain | undefined {
    return this.domains.get(GuestDomains.domainName(namespace, vmiName));
  }

  /** By libvirt name (<namespace>_<vmi>) or UUID within a namespace, as virsh finds a domain. */
  find(namespace: string, reference: string): GuestDomain | undefined {
    return this.domains.get(reference) ?? [...this.domains.values()].find((d) => d.namespace === namespace && d.uuid === reference);
  }

  inNamespace(namespace: string): GuestDomain[] {
    return [...this.domains.values()].filter((d) => d.namespace === namespace);
  }

  remove(namespace: string, vmiName: string): void {
    this.domains.delete(GuestDomains.domainName(namespace, vmiName));
  }

  all(): GuestDomain[] {
    return [...this.domains.values()].map((d) => structuredClone(d));
  }

  restore(domains: GuestDomain[]): void {
    this.domains.clear();
    for (const d of domains) {
      this.domains.set(d.name, structuredClone(d));
      this.nextId = Math.max(this.nextId, d.id + 1);
    }
  }

  clear(): void {
    this.domains.clear();
  }
}
