import { PermanentAdapterError } from '../../adapter-errors.js';
import type { CommandOptions, CommandResult, CommandRunner } from '../../process/command-runner.js';
import type { VmRef } from '../cluster.port.js';

/** What finding a VM's launcher pod needs of the cluster adapter (KubevirtCluster has all three). */
export interface LauncherPodCluster {
  listVms(namespace?: string): Promise<Array<{ ref: VmRef; vmId: string }>>;
  commandRunner(ref: VmRef): CommandRunner;
  /** libvirt's name for the VM's domain in its launcher pod (`<cluster namespace>_<vmi>`). */
  domainName(ref: VmRef): string;
}

/**
 * The hypervisor port's transport inside KubeVirt: a command for a VM's domain runs in that VM's
 * virt-launcher pod. The hypervisor knows a VM by our id only, so the VM object is found once by its
 * vm-id label and remembered: a VM's namespace and name never change (they derive from its project
 * and id), while the pod does, which the exec runner looks up on every call.
 */
export class LauncherPodRunners {
  private readonly refs = new Map<string, VmRef>();

  constructor(private readonly cluster: LauncherPodCluster) {}

  /** A runner for the VM's launcher pod; the VM is looked up at the first command. */
  runnerFor(vmId: string): CommandRunner {
    return {
      run: async (argv: readonly string[], options?: CommandOptions): Promise<CommandResult> => {
        const ref = await this.refOf(vmId);
        return this.cluster.commandRunner(ref).run(argv, options);
      },
    };
  }

  /** KubeVirt's name for the VM's libvirt domain; the VM is looked up (once) as for its runner. */
  async domainNameOf(vmId: string): Promise<string> {
    return this.cluster.domainName(await this.refOf(vmId));
  }

  private async refOf(vmId: string): Promise<VmRef> {
    const known = this.refs.get(vmId);
    if (known) return known;
    const found = (await this.cluster.listVms()).find((vm) => vm.vmId === vmId);
    // No VM, no launcher pod, no domain: what the hypervisor port calls an absent domain.
    if (!found) throw new PermanentAdapterError('DomainNotFound', `Domain not found: no VirtualMachine carries vm-id ${vmId}`);
    this.refs.set(vmId, found.ref);
    return found.ref;
  }
}
