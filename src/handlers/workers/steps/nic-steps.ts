import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import { PortNotFoundError } from '../../../domain/port/port.errors.js';
import type { VmInterface } from '../../../domain/virtual-machine/interface-attachment.js';
import { awaitCondition } from './await-condition.js';
import { unlessGone } from './live-change-context.js';
import { attachmentFor, hotplugCluster, nicName, nicPorts, nicSpecFor, stepMeta, taskNic } from './nic-step-ports.js';
import type { StepContext, StepRunner } from './step-context.js';

/** Neutron's device_owner for a port a server uses. */
const DEVICE_OWNER = 'compute:nova';

/**
 * AttachNic and DetachNic (issue 6). Each step asks for an end state, so a retry after a crash (the
 * effect done, its result not yet recorded) does the same thing again harmlessly: the port commands
 * are idempotent for the same device, the fabric's ensure/delete too, and the cluster's NIC edits are
 * "already attached / already absent: done".
 */
export const NIC_STEPS: Readonly<Record<string, StepRunner>> = {
  'bind-port': async (ctx) => {
    const nic = taskNic(ctx);
    await nicPorts(ctx).port({ type: 'RequestPortBinding', data: { portId: nic.portId, deviceId: ctx.vm.id, deviceOwner: DEVICE_OWNER, hostId: ctx.vm.host } }, stepMeta(ctx));
    return {};
  },
  'create-fabric-port': async (ctx) => {
    await plugFabricPort(ctx, taskNic(ctx));
    return {};
  },
  'attach-nic': async (ctx) => {
    const nic = taskNic(ctx);
    const cluster = hotplugCluster(ctx);
    const attachment = await attachmentFor(ctx, nic);
    await cluster.attachNic(ctx.ref, nicSpecFor(nic, attachment));
    return {};
  },
  'await-nic': async (ctx) => {
    const name = nicName(taskNic(ctx).portId);
    const cluster = hotplugCluster(ctx);
    await awaitCondition(
      ctx,
      `the VMI of VM ${ctx.vm.id} reporting interface ${name} in its domain`,
      () => cluster.getVmi(ctx.ref),
      (vmi) => {
        if (!vmi) throw new PermanentAdapterError('VmNotRunning', `VM ${ctx.vm.id} has no VMI; it stopped while the NIC was plugged`);
        // Listed from the pod's network status alone, the NIC is in the launcher pod but not yet in the guest.
        return vmi.interfaces.some((i) => i.name === name && i.inDomain) ? true : undefined;
      },
      (vmi) => `it lists ${vmi ? vmi.interfaces.map((i) => `${i.name} (${i.infoSource ?? 'no infoSource'})`).join(', ') || 'no interfaces' : 'no VMI'}`,
    );
    return {};
  },
  'confirm-port-binding': async (ctx) => {
    const nic = taskNic(ctx);
    await nicPorts(ctx).port({ type: 'ConfirmPortBinding', data: { portId: nic.portId, deviceId: ctx.vm.id, hostId: ctx.vm.host } }, stepMeta(ctx));
    return {};
  },

  // AttachNic's undo (and DetachNic's forward steps where they share the effect).
  'detach-nic': async (ctx) => {
    const ports = nicPorts(ctx);
    // Undoing on a cluster that cannot hotplug: the attach never reached it.
    if (!ports.cluster && ctx.vm.task?.compensation) return {};
    const cluster = hotplugCluster(ctx);
    await unlessGone(['VmNotFound'], () => cluster.detachNic(ctx.ref, nicName(taskNic(ctx).portId)));
    return {};
  },
  'await-nic-gone': async (ctx) => {
    const name = nicName(taskNic(ctx).portId);
    const cluster = hotplugCluster(ctx);
    await awaitCondition(
      ctx,
      `the VMI of VM ${ctx.vm.id} without interface ${name} in its domain`,
      () => cluster.getVmi(ctx.ref),
      // No VMI (the VM stopped meanwhile): the interface is gone with it. Still listed without `domain`,
      // it is out of the guest and only the launcher pod's network is left for KubeVirt to remove.
      (vmi) => (!vmi || !vmi.interfaces.some((i) => i.name === name && i.inDomain) ? true : undefined),
      () => `its domain still has ${name}`,
    );
    return {};
  },
  'delete-fabric-port': async (ctx) => {
    await nicPorts(ctx).fabric.deletePort(taskNic(ctx).portId);
    return {};
  },
  'fail-port-binding': async (ctx) => {
    await letPortGo(ctx, taskNic(ctx), ctx.vm.task?.compensation?.error.message ?? 'the attach failed');
    return {};
  },
  'unbind-port': async (ctx) => {
    const nic = taskNic(ctx);
    await ignoringDeleted(() => nicPorts(ctx).port({ type: 'RequestPortUnbinding', data: { portId: nic.portId } }, stepMeta(ctx)));
    return {};
  },
  'confirm-port-unbinding': async (ctx) => {
    const nic = taskNic(ctx);
    await ignoringDeleted(() => nicPorts(ctx).port({ type: 'ConfirmPortUnbinding', data: { portId: nic.portId } }, stepMeta(ctx)));
    if (nic.autoCreated) await deleteAutoCreated(ctx, nic);
    return {};
  },
  // A build with ports (Nova's networks at create, interface-attachment.ts / task-plans.ts planCreate).
  'bind-boot-ports': async (ctx) => {
    const ports = nicPorts(ctx);
    for (const nic of ctx.vm.interfaces ?? []) {
      await ports.port({ type: 'RequestPortBinding', data: { portId: nic.portId, deviceId: ctx.vm.id, deviceOwner: DEVICE_OWNER, hostId: null } }, stepMeta(ctx));
    }
    return {};
  },
  'plug-boot-ports': async (ctx) => {
    const { port } = nicPorts(ctx);
    for (const nic of ctx.vm.interfaces ?? []) {
      await plugFabricPort(ctx, nic);
      await port({ type: 'ConfirmPortBinding', data: { portId: nic.portId, deviceId: ctx.vm.id, hostId: ctx.vm.host } }, stepMeta(ctx));
    }
    return {};
  },
  // A failed build lets its ports go as a delete does: unbound, fabric ports gone, the ones made for it deleted.
  'release-boot-ports': async (ctx) => {
    for (const nic of ctx.vm.interfaces ?? []) await releasePort(ctx, nic);
    return {};
  },
  // Server delete: every plugged port (and one an abandoned attach or detach held) is freed.
  'release-ports': async (ctx) => {
    const nics = [...(ctx.vm.interfaces ?? [])];
    if (ctx.vm.nic && !nics.some((n) => n.portId === ctx.vm.nic!.portId)) nics.push(ctx.vm.nic);
    for (const nic of nics) await releasePort(ctx, nic);
    return {};
  },
};

/** The NIC's logical switch as its network's subnets define it, and its logical port on it, bound to the VM's host. */
async function plugFabricPort(ctx: StepContext, nic: VmInterface): Promise<void> {
  const { fabric, switchFor } = nicPorts(ctx);
  await fabric.ensureLogicalSwitch(await switchFor(nic.networkId));
  await fabric.ensurePort({
    portId: nic.portId,
    switchId: nic.networkId,
    mac: nic.macAddress,
    ips: nic.fixedIps.map((f) => f.ipAddress),
    vmId: ctx.vm.id,
    chassis: ctx.vm.host,
  });
}

/** A build's or a delete's port: its fabric port gone, then let go as an undone attach's is. */
async function releasePort(ctx: StepContext, nic: VmInterface): Promise<void> {
  await nicPorts(ctx).fabric.deletePort(nic.portId);
  await letPortGo(ctx, nic, ctx.vm.task?.action === 'create' ? 'the server failed to build' : 'the server was deleted');
}

/**
 * The port back to unbound from whatever phase it is in for this VM (a binding fails with `reason`),
 * and deleted if it was made for the VM (Nova's net_id): the port, its addresses, its MAC.
 */
async function letPortGo(ctx: StepContext, nic: VmInterface, reason: string): Promise<void> {
  const ports = nicPorts(ctx);
  const meta = stepMeta(ctx);
  const port = await ports.loadPort(nic.portId);
  if (!port || port.deleted) return;
  // Bound to another VM (this attach lost the race for it, or this VM let it go before): not ours to undo.
  if (port.deviceId === ctx.vm.id && port.phase === 'binding') {
    await ports.port({ type: 'FailPortBinding', data: { portId: nic.portId, deviceId: ctx.vm.id, reason } }, meta);
  } else if (port.deviceId === ctx.vm.id) {
    await ports.port({ type: 'RequestPortUnbinding', data: { portId: nic.portId } }, meta);
    await ports.port({ type: 'ConfirmPortUnbinding', data: { portId: nic.portId } }, meta);
  }
  if (nic.autoCreated && (port.deviceId === ctx.vm.id || port.deviceId === '')) await deleteAutoCreated(ctx, nic);
}

/** A port made for the VM goes with its interface; a retry after the delete is done. */
async function deleteAutoCreated(ctx: StepContext, nic: VmInterface): Promise<void> {
  await ignoringDeleted(() => nicPorts(ctx).deletePort(nic.portId, stepMeta(ctx)));
}

/** A retry after the port was deleted (by this step's first attempt) is done. */
async function ignoringDeleted(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (error instanceof PortNotFoundError) return;
    throw error;
  }
}
