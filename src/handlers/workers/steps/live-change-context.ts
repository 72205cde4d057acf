import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { DomainRef } from '../../../adapters/libvirt/hypervisor.port.js';
import type { VmSize } from '../../../domain/virtual-machine/virtual-machine.events.js';
import type { WaitDeadline } from './await-condition.js';
import type { LiveChangeDeadlines, LiveChangePorts, StepContext } from './step-context.js';

/** The live-change ports, or the step fails: this deployment's cluster adapter cannot do it. */
export function livePorts(ctx: StepContext): LiveChangePorts {
  if (!ctx.live) {
    throw new PermanentAdapterError('NotSupported', 'The cluster adapter of this deployment cannot resize or migrate running VMs.');
  }
  return ctx.live;
}

/** The deadline of a long wait: its configured length from the step's first attempt (so a retry or a restart does not extend it). */
export function waitDeadline(ctx: StepContext, kind: keyof LiveChangeDeadlines): WaitDeadline {
  const lengthMs = livePorts(ctx).deadlines[kind];
  const started = Date.parse(ctx.startedAt);
  return { at: (Number.isFinite(started) ? started : Date.now()) + lengthMs, lengthMs };
}

/** Where the guest's domain is: our id on the node the VM runs on. */
export function domainRef(ctx: StepContext): DomainRef {
  if (!ctx.vm.host) throw new PermanentAdapterError('VmNotRunning', `VM ${ctx.vm.id} has no host; it does not run anywhere`);
  return { vmId: ctx.vm.id, node: ctx.vm.host };
}

/** The sizes of the running hot resize, from the task's own events. */
export function hotResizeSizes(ctx: StepContext): { from: VmSize; to: VmSize } {
  if (!ctx.vm.hotResize) throw new PermanentAdapterError('Invalid', `VM ${ctx.vm.id} runs no hot resize`);
  return ctx.vm.hotResize;
}

/** The launcher pod's compute container for a guest of this size. */
export function launcherPodFor(size: VmSize, overheadMiB: number): { vcpus: number; memoryMiB: number } {
  return { vcpus: size.vcpus, memoryMiB: size.ramMb + overheadMiB };
}

/** An undo of something that is not there any more is done (the VM stopped or went away). */
export async function unlessGone(codes: readonly string[], undo: () => Promise<void>): Promise<void> {
  try {
    await undo();
  } catch (error) {
    if (error instanceof PermanentAdapterError && codes.includes(error.code)) return;
    throw error;
  }
}
