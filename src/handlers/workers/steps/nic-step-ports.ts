import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { LiveChangeClusterPort, NicSpec, VmRef } from '../../../adapters/kubernetes/cluster.port.js';
import type { FabricPort, LogicalSwitchSpec } from '../../../adapters/ovs/fabric.port.js';
import type { PortCommand } from '../../../domain/port/port.commands.js';
import type { PortState } from '../../../domain/port/port.state.js';
import type { VmInterface } from '../../../domain/virtual-machine/interface-attachment.js';
import type { CommandMetadata } from '../../shared/command-metadata.js';
import type { StepContext } from './step-context.js';

/**
 * What the AttachNic / DetachNic steps drive: the port's stream (through the networking handlers),
 * the fabric, and the cluster's NIC hotplug.
 */
export interface NicStepPorts {
  /** null where the deployment's cluster adapter cannot hotplug NICs (the in-process simulation): those steps fail with NotSupported. */
  cluster: LiveChangeClusterPort | null;
  fabric: FabricPort;
  /** A command on the port's stream (bind, confirm, fail, unbind). */
  port(command: PortCommand, meta: CommandMetadata): Promise<unknown>;
  loadPort(portId: string): Promise<PortState>;
  /** The Neutron delete: the port, then its addresses and its MAC released. */
  deletePort(portId: string, meta: CommandMetadata): Promise<unknown>;
  /** The network's logical switch as its subnets define it. */
  switchFor(networkId: string): Promise<LogicalSwitchSpec>;
}

export function nicPorts(ctx: StepContext): NicStepPorts {
  if (!ctx.nics) throw new PermanentAdapterError('NotSupported', 'This deployment has no fabric wired for NIC hotplug.');
  return ctx.nics;
}

/** The cluster's hotplug, or the step fails: this deployment's cluster adapter cannot plug NICs. */
export function hotplugCluster(ctx: StepContext): LiveChangeClusterPort {
  const cluster = nicPorts(ctx).cluster;
  if (!cluster) throw new PermanentAdapterError('NotSupported', 'The cluster adapter of this deployment cannot hot-plug NICs into VMs.');
  return cluster;
}

/** The port the running attach or detach task plugs or unplugs, from the task's own events. */
export function taskNic(ctx: StepContext): VmInterface {
  if (!ctx.vm.nic) throw new PermanentAdapterError('Invalid', `VM ${ctx.vm.id} runs no interface attach or detach`);
  return ctx.vm.nic;
}

export function stepMeta(ctx: StepContext): CommandMetadata {
  if (!ctx.meta) throw new PermanentAdapterError('Invalid', 'A port step needs the job\'s command metadata');
  return ctx.meta;
}

/**
 * The VM's interface for a port: one Multus network per Neutron network (a Kube-OVN NAD named after
 * it in the VM's namespace, provider `<nad>.<namespace>.ovn`), the port's MAC, and its IPv4 (else
 * first) address as the Kube-OVN fixed-IP annotation (kubevirt-api.md §7).
 */
export function nicSpecFor(nic: VmInterface, ref: VmRef): NicSpec {
  const nad = `net-${nic.networkId}`.toLowerCase();
  const ip = nic.fixedIps.find((f) => f.version === 4) ?? nic.fixedIps[0];
  return {
    name: nicName(nic.portId),
    networkName: nad,
    macAddress: nic.macAddress,
    ...(ip ? { ipAddress: ip.ipAddress, provider: `${nad}.${ref.namespace}.ovn` } : {}),
  };
}

/** The interface name in the VM spec: a DNS-1123 label unique per port. */
export function nicName(portId: string): string {
  return `p${portId.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 63);
}
