import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { PodResizeObservation } from '../../../adapters/kubernetes/cluster.port.js';
import type { DomainInfo } from '../../../adapters/libvirt/hypervisor.port.js';
import type { VmSize } from '../../../domain/virtual-machine/virtual-machine.events.js';
import { awaitCondition } from './await-condition.js';
import { domainRef, hotResizeSizes, launcherPodFor, livePorts, unlessGone } from './live-change-context.js';
import type { StepContext, StepRunner } from './step-context.js';

/**
 * The in-place hot resize (kubevirt-api.md §6): the launcher pod grows through pods/resize, the
 * kubelet applies it, the guest hot-adds through libvirt within its boot maxima, the guest's own
 * view confirms it, and the VM object records the size for the next boot. Every step asks for an end
 * state, so a retry after a crash does the same thing again harmlessly; undo steps go back to the
 * size the task started from.
 */
export const HOT_RESIZE_STEPS: Readonly<Record<string, StepRunner>> = {
  'resize-launcher-pod': async (ctx) => {
    const { cluster, launcherMemoryOverheadMiB } = livePorts(ctx);
    const observed = await cluster.resizeLauncherPod(ctx.ref, launcherPodFor(hotResizeSizes(ctx).to, launcherMemoryOverheadMiB));
    refuseFinal(observed);
    return {};
  },
  'await-pod-resize': async (ctx) => {
    await awaitPodSize(ctx, hotResizeSizes(ctx).to);
    return {};
  },
  'hot-add-vcpus': async (ctx) => {
    await livePorts(ctx).hypervisor.setVcpus(domainRef(ctx), hotResizeSizes(ctx).to.vcpus, 'live');
    return {};
  },
  'hot-add-memory': async (ctx) => {
    await livePorts(ctx).hypervisor.setMemory(domainRef(ctx), hotResizeSizes(ctx).to.ramMb, 'live');
    return {};
  },
  'confirm-guest-size': async (ctx) => {
    const { to } = hotResizeSizes(ctx);
    const ref = domainRef(ctx);
    const hypervisor = livePorts(ctx).hypervisor;
    await awaitCondition(
      ctx,
      `the guest of VM ${ctx.vm.id} reporting ${to.vcpus} vCPUs and ${to.ramMb} MiB`,
      () => hypervisor.getDomain(ref),
      (domain) => {
        if (!domain) throw new PermanentAdapterError('DomainNotFound', `VM ${ctx.vm.id} has no domain on ${ref.node}`);
        const seen = guestSize(domain);
        return seen.vcpus >= to.vcpus && seen.ramMb >= to.ramMb ? true : undefined;
      },
      (domain) => (domain ? `it reports ${guestSize(domain).vcpus} vCPUs and ${guestSize(domain).ramMb} MiB` : 'no domain'),
    );
    return {};
  },
  'record-vm-size': async (ctx) => {
    const { to } = hotResizeSizes(ctx);
    const flavor = ctx.vm.flavor;
    await livePorts(ctx).cluster.setVmSize(ctx.ref, { vcpus: to.vcpus, maxVcpus: flavor.maxVcpus, memoryMiB: to.ramMb, maxMemoryMiB: flavor.maxRamMb });
    return {};
  },

  // Undo steps: back to the size the task started from.
  'shrink-launcher-pod': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const { from } = hotResizeSizes(ctx);
    const { cluster, launcherMemoryOverheadMiB } = livePorts(ctx);
    // No launcher pod (the VM stopped meanwhile): nothing left to shrink.
    await unlessGone(['VmNotRunning'], async () => {
      await cluster.resizeLauncherPod(ctx.ref, launcherPodFor(from, launcherMemoryOverheadMiB));
      await awaitPodSize(ctx, from);
    });
    return {};
  },
  'restore-guest-vcpus': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const { from } = hotResizeSizes(ctx);
    await unlessGone(['DomainNotFound', 'DomainNotRunning', 'VmNotRunning'], () => livePorts(ctx).hypervisor.setVcpus(domainRef(ctx), from.vcpus, 'live'));
    return {};
  },
  'restore-guest-memory': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const { from } = hotResizeSizes(ctx);
    await unlessGone(['DomainNotFound', 'DomainNotRunning', 'VmNotRunning'], () => livePorts(ctx).hypervisor.setMemory(domainRef(ctx), from.ramMb, 'live'));
    return {};
  },
};

/** Infeasible can never fit on this node, and an error applying it will not mend by waiting. */
function refuseFinal(observed: PodResizeObservation): void {
  if (observed.state === 'Infeasible') {
    throw new PermanentAdapterError('PodResizeInfeasible', `The launcher pod cannot grow on its node: ${observed.message ?? 'Infeasible'}`);
  }
  if (observed.state === 'Error') throw new PermanentAdapterError('PodResizeError', `The kubelet failed to resize the launcher pod: ${observed.message ?? 'Error'}`);
}

/**
 * Waits until the kubelet applied the pod size. Deferred (no room on the node now) that outlasts
 * the step's window fails with that reason rather than hanging: the node is full, and the user
 * should hear so while the VM stays at its old size.
 */
async function awaitPodSize(ctx: StepContext, size: VmSize): Promise<void> {
  const { cluster, launcherMemoryOverheadMiB } = livePorts(ctx);
  const wanted = launcherPodFor(size, launcherMemoryOverheadMiB);
  let last: PodResizeObservation | null = null;
  try {
    await awaitCondition(
      ctx,
      `the launcher pod of VM ${ctx.vm.id} at ${wanted.vcpus} CPUs and ${wanted.memoryMiB} MiB`,
      () => cluster.getPodResize(ctx.ref),
      (observed) => {
        last = observed;
        if (!observed) throw new PermanentAdapterError('VmNotRunning', `VM ${ctx.ref.namespace}/${ctx.ref.name} has no launcher pod`);
        refuseFinal(observed);
        const applied = observed.applied;
        return observed.state === 'Done' && applied?.vcpus === wanted.vcpus && applied.memoryMiB === wanted.memoryMiB ? true : undefined;
      },
      (observed) => (observed ? `${observed.state}${observed.message ? `: ${observed.message}` : ''}` : 'no pod'),
    );
  } catch (error) {
    const seen = last as PodResizeObservation | null;
    if (seen?.state === 'Deferred') {
      throw new PermanentAdapterError('PodResizeDeferred', `The launcher pod's resize stays deferred (the node has no room now): ${seen.message ?? 'Deferred'}`, { cause: error });
    }
    throw error;
  }
}

/** What the guest says it has, or what libvirt gave it when the guest cannot say. */
function guestSize(domain: DomainInfo): VmSize {
  return domain.guest
    ? { vcpus: domain.guest.vcpusOnline, ramMb: domain.guest.memoryMiB }
    : { vcpus: domain.vcpus.current, ramMb: domain.memoryMiB.current };
}
