import type { StepContext } from './step-context.js';

/**
 * The fabric side of a live migration (OVN requested-chassis): each port of the VM's NICs is bound to
 * the source and the target while the guest moves, and to the one node the guest ends on after.
 * Both read the port first, so a step run again does nothing twice. Without a fabric (no NICs wired
 * in this deployment) there is nothing to move.
 */
export async function beginPortMoves(ctx: StepContext, target: string): Promise<void> {
  const fabric = ctx.nics?.fabric;
  if (!fabric) return;
  for (const nic of ctx.vm.interfaces ?? []) {
    const port = await fabric.getPort(nic.portId);
    if (!port || port.chassis === null || port.chassis === target || port.migratingTo === target) continue;
    await fabric.beginPortMigration(nic.portId, target);
  }
}

/**
 * Binds every port of the VM's NICs to `node` alone (ends a begun port migration), and records the
 * node as each bound port's binding:host_id (Neutron's port follows the VM).
 */
export async function settlePorts(ctx: StepContext, node: string): Promise<void> {
  const nics = ctx.nics;
  if (!nics) return;
  const { fabric } = nics;
  for (const nic of ctx.vm.interfaces ?? []) {
    const port = await fabric.getPort(nic.portId);
    // An unbound port stays unbound; a port already on `node` alone is done.
    if (!port || (port.chassis === null && port.migratingTo === undefined) || (port.chassis === node && port.migratingTo === undefined)) continue;
    await fabric.setPortChassis(nic.portId, node);
  }
  if (!ctx.meta) return;
  for (const nic of ctx.vm.interfaces ?? []) {
    const port = await nics.loadPort(nic.portId);
    if (!port || port.deleted || port.phase !== 'bound' || port.deviceId !== ctx.vm.id || port.hostId === node) continue;
    await nics.port({ type: 'MovePortBinding', data: { portId: nic.portId, hostId: node } }, ctx.meta);
  }
}
