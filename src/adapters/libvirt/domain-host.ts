import type { DomainRef, DomainState, MigrationJob } from './hypervisor.port.js';

export interface DomainDefinition {
  ref: DomainRef;
  vcpus: { current: number; max: number };
  memoryMiB: { current: number; max: number };
  state?: DomainState;
}

/**
 * What starts and stops domains on a node: virt-launcher in a real cluster, the cluster simulation
 * here. The hypervisor simulation implements it, so the two stay in step without sharing state.
 */
export interface DomainHost {
  defineDomain(definition: DomainDefinition): void;
  setDomainState(ref: DomainRef, state: DomainState): void;
  undefineDomain(ref: DomainRef): void;
  /** The source's libvirt copying the domain's memory to another node (null: the job ended). */
  setMigrationJob(ref: DomainRef, job: MigrationJob | null): void;
}
