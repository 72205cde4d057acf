import type { DomainRef } from './hypervisor.port.js';

/**
 * Where a VM's domain lives and what libvirt calls it. The hypervisor adapter asks this for every
 * call and asks the reverse when an event names a domain.
 */
export interface DomainResolver {
  /** The libvirt connection URI for a node (`qemu+tls://node-1/system`, a test daemon's socket). */
  uri(node: string): string;
  /**
   * libvirt's name for the VM's domain. It may take a lookup: inside KubeVirt the name carries the
   * VM's namespace (`<namespace>_<vmi>`), which a DomainRef does not hold.
   */
  domainName(ref: DomainRef): string | Promise<string>;
  /** The vmId a domain name stands for, or null for a domain that is not one of ours. */
  vmIdOf(domainName: string, node: string): string | null;
}

export interface TemplateResolverOptions {
  /** `{node}` is replaced by the node name, e.g. `qemu+tls://{node}/system`. */
  uriTemplate: string;
  /**
   * `{vmId}` (and optionally `{node}`) make the domain name; default `{vmId}`. KubeVirt names a
   * VM's domain `<namespace>_<vm-name>` (e.g. `{namespace}_vm-{vmId}` once the namespace is fixed).
   */
  nameTemplate?: string;
}

/** A resolver from two templates: one for the connection URI per node, one for the domain name. */
export class TemplateDomainResolver implements DomainResolver {
  private readonly nameTemplate: string;

  constructor(private readonly options: TemplateResolverOptions) {
    this.nameTemplate = options.nameTemplate ?? '{vmId}';
    if (this.nameTemplate.split('{vmId}').length !== 2) throw new Error(`nameTemplate must contain {vmId} once: ${this.nameTemplate}`);
  }

  uri(node: string): string {
    return this.options.uriTemplate.replaceAll('{node}', node);
  }

  domainName(ref: DomainRef): string {
    return this.nameTemplate.replaceAll('{node}', ref.node).replaceAll('{vmId}', ref.vmId);
  }

  vmIdOf(domainName: string, node: string): string | null {
    const [before, after] = this.nameTemplate.replaceAll('{node}', node).split('{vmId}') as [string, string];
    if (!domainName.startsWith(before) || !domainName.endsWith(after) || domainName.length <= before.length + after.length) return null;
    return domainName.slice(before.length, domainName.length - after.length);
  }
}
