import type { DomainResolver } from '../../libvirt/domain-resolver.js';
import type { DomainRef } from '../../libvirt/hypervisor.port.js';
import type { LauncherPodRunners } from './launcher-pod-runners.js';

/** `<namespace>_vm-<vmId>`: a namespace is a DNS label, so the first underscore ends it. */
const KUBEVIRT_DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?_vm-(.+)$/;

/**
 * Domain names for libvirt reached through a VM's launcher pod: KubeVirt's `<namespace>_<vmi>`,
 * with the VM's cluster namespace (the project's namespace through NAMESPACE_TEMPLATE), which the
 * hypervisor port's DomainRef does not carry and the launcher runners find by the VM's vm-id label.
 * Every VM's libvirt is its own pod's, at one URI whatever the node.
 */
export class LauncherDomainResolver implements DomainResolver {
  constructor(
    private readonly launchers: Pick<LauncherPodRunners, 'domainNameOf'>,
    private readonly libvirtUri: string,
  ) {}

  uri(): string {
    return this.libvirtUri;
  }

  domainName(ref: DomainRef): Promise<string> {
    return this.launchers.domainNameOf(ref.vmId);
  }

  vmIdOf(domainName: string): string | null {
    return KUBEVIRT_DOMAIN.exec(domainName)?.[2] ?? null;
  }
}
