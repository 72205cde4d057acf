import { PermanentAdapterError, TransientAdapterError } from '../../../adapters/adapter-errors.js';
import type { PodResizeObservation } from '../../../adapters/kubernetes/cluster.port.js';
import type { DomainInfo } from '../../../adapters/libvirt/hypervisor.port.js';
import type { VmSize } from '../../../domain/virtual-machine/virtual-machine.events.js';
import { failpoint } from '../failpoints.js';
import { awaitCondition } from './await-condition.js';
import { domainRef, hotResizeSizes, launcherPodFor, livePorts, unlessGone, waitDeadline } from './live-change-context.js';
import type { StepContext, StepRunner } from './step-context.js';

/**
 * The in-place hot resize (kubevirt-api.md §6): the launcher pod grows through pods/resize and the
 * kubelet applies it; the guest hot-adds (or unplugs vCPUs) through libvirt within its boot maxima,
 * its own view confirms it and the VM object records the size for the next boot; the pod gives back
 * unplugged vCPUs. Every action asks for an end state, so a retry after a crash does the same thing
 * again harmlessly; undo steps go back to the size the task started from.
 */
export const HOT_RESIZE_STEPS: Readonly<Record<string, StepRunner>> = {
  'resize-launcher-pod': async (ctx) => {
    await resizePod(ctx, podWhileResizing(ctx));
    return {};
  },
  /**
   * The guest to its new size: vCPUs hot-added or unplugged and memory hot-added (only what changes),
   * the guest's own view confirming it, then the size recorded on the VM object for the next boot.
   */
  'resize-guest': async (ctx) => {
    const { from, to } = hotResizeSizes(ctx);
    if (to.vcpus > from.vcpus) {
      await hotAddVcpus(ctx);
      failpoint('after-side-effect:hot-add-vcpus');
    }
    if (to.ramMb > from.ramMb) {
      await hotAddMemory(ctx);
      failpoint('after-side-effect:hot-add-memory');
    }
    if (to.vcpus < from.vcpus) await unplugVcpus(ctx);
    await confirmGuestSize(ctx);
    await recordVmSize(ctx);
    return {};
  },
  'confirm-guest-size': async (ctx) => {
    await confirmGuestSize(ctx);
    return {};
  },
  // After an unplug the guest no longer uses the vCPUs: the pod gives them back to the node.
  'trim-launcher-pod': async (ctx) => {
    await resizePod(ctx, hotResizeSizes(ctx).to);
    return {};
  },

  // The steps of hot resizes started before resize-guest took them over: their tasks name them.
  'await-pod-resize': async (ctx) => {
    await awaitPodSize(ctx, podWhileResizing(ctx));
    return {};
  },
  'hot-add-vcpus': async (ctx) => {
    await hotAddVcpus(ctx);
    return {};
  },
  'hot-add-memory': async (ctx) => {
    await hotAddMemory(ctx);
    return {};
  },
  'unplug-vcpus': async (ctx) => {
    await unplugVcpus(ctx);
    return {};
  },
  'record-vm-size': async (ctx) => {
    await recordVmSize(ctx);
    return {};
  },

  // Undo steps: back to the size the task started from.
  'shrink-launcher-pod': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const { from } = hotResizeSizes(ctx);
    // No launcher pod (the VM stopped meanwhile): nothing left to shrink.
    await unlessGone(['VmNotRunning'], () => resizePod(ctx, from));
    return {};
  },
  /**
   * The vCPUs back to the count the task started from, then read back: an undo that cannot say the
   * guest has them again fails with the counts it sees, so the task ends in error saying how many the
   * guest really has rather than claiming the old size.
   */
  'restore-guest-vcpus': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const { from } = hotResizeSizes(ctx);
    const hypervisor = livePorts(ctx).hypervisor;
    await unlessGone(['DomainNotFound', 'DomainNotRunning', 'VmNotRunning'], async () => {
      const ref = domainRef(ctx);
      let failure: unknown = null;
      await hypervisor.setVcpus(ref, from.vcpus, 'live').catch((error: unknown) => {
        if (error instanceof PermanentAdapterError && ['DomainNotFound', 'DomainNotRunning', 'VmNotRunning'].includes(error.code)) throw error;
        failure = error;
      });
      const seen = await hypervisor.getDomain(ref);
      if (!seen) return;
      const online = guestSize(seen).vcpus;
      if (online === from.vcpus && seen.vcpus.current === from.vcpus) return;
      const message = `VM ${ctx.vm.id} could not be given back its ${from.vcpus} vCPUs${failure ? ` (${errorMessage(failure)})` : ''}: the guest reports ${online} online, libvirt counts ${seen.vcpus.current}.`;
      // A transient failure is tried again; the last attempt's record still names the counts.
      if (failure && !(failure instanceof PermanentAdapterError)) throw new TransientAdapterError('GuestVcpusDiffer', message, { cause: failure });
      throw new PermanentAdapterError('GuestVcpusDiffer', message);
    });
    return {};
  },
  'restore-guest-memory': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const { from } = hotResizeSizes(ctx);
    await unlessGone(['DomainNotFound', 'DomainNotRunning', 'VmNotRunning'], () => livePorts(ctx).hypervisor.setMemory(domainRef(ctx), from.ramMb, 'live'));
    return {};
  },
};

async function hotAddVcpus(ctx: StepContext): Promise<void> {
  await livePorts(ctx).hypervisor.setVcpus(domainRef(ctx), hotResizeSizes(ctx).to.vcpus, 'live');
}

async function hotAddMemory(ctx: StepContext): Promise<void> {
  await livePorts(ctx).hypervisor.setMemory(domainRef(ctx), hotResizeSizes(ctx).to.ramMb, 'live');
}

/**
 * vCPU removal (in place): libvirt unplugs down to the new count. An unplug the guest does not
 * finish in libvirt's wait (QEMU under TCG, real-guest.md) is not retried: libvirt then says to
 * inspect the result by hand, and a second setvcpus fails for an unknown cause. The step fails
 * with what the guest and libvirt each count, and its undo puts the vCPUs back and checks.
 */
async function unplugVcpus(ctx: StepContext): Promise<void> {
  const { to } = hotResizeSizes(ctx);
  const ref = domainRef(ctx);
  const hypervisor = livePorts(ctx).hypervisor;
  try {
    await hypervisor.setVcpus(ref, to.vcpus, 'live');
  } catch (error) {
    const seen = await hypervisor.getDomain(ref).catch(() => null);
    const counts = seen ? `the guest reports ${guestSize(seen).vcpus} vCPUs online, libvirt counts ${seen.vcpus.current}` : 'its domain cannot be read';
    throw new PermanentAdapterError('VcpuUnplugFailed', `Removing vCPUs from VM ${ctx.vm.id} (to ${to.vcpus}) did not complete: ${errorMessage(error)}; ${counts}.`, { cause: error });
  }
}

async function confirmGuestSize(ctx: StepContext): Promise<void> {
  const { from, to } = hotResizeSizes(ctx);
  const ref = domainRef(ctx);
  const hypervisor = livePorts(ctx).hypervisor;
  const unplugs = to.vcpus < from.vcpus;
  await awaitCondition(
    ctx,
    `the guest of VM ${ctx.vm.id} reporting ${to.vcpus} vCPUs and ${to.ramMb} MiB`,
    () => hypervisor.getDomain(ref),
    (domain) => {
      if (!domain) throw new PermanentAdapterError('DomainNotFound', `VM ${ctx.vm.id} has no domain on ${ref.node}`);
      const seen = guestSize(domain);
      const vcpusThere = unplugs ? seen.vcpus <= to.vcpus : seen.vcpus >= to.vcpus;
      return vcpusThere && seen.ramMb >= to.ramMb ? true : undefined;
    },
    (domain) => (domain ? `it reports ${guestSize(domain).vcpus} vCPUs and ${guestSize(domain).ramMb} MiB` : 'no domain'),
    waitDeadline(ctx, 'guestResizeMs'),
  );
}

async function recordVmSize(ctx: StepContext): Promise<void> {
  const { to } = hotResizeSizes(ctx);
  const flavor = ctx.vm.flavor;
  await livePorts(ctx).cluster.setVmSize(ctx.ref, { vcpus: to.vcpus, maxVcpus: flavor.maxVcpus, memoryMiB: to.ramMb, maxMemoryMiB: flavor.maxRamMb });
}

/**
 * After KubeVirt moved a VM resized in place, its new launcher pod is sized from the VMI spec, that
 * is the size the VM booted with (KubeVirt knows nothing of the in-place resize; kubevirt-api.md §6
 * caveats): it grows to what the guest runs with, or the guest would outgrow its pod's memory. A VM
 * whose VMI reports its recorded size (never resized in place, or resized by KubeVirt) is left as
 * KubeVirt made it.
 */
export async function fitLauncherPodToGuest(ctx: StepContext): Promise<void> {
  const vmi = await livePorts(ctx).cluster.getVmi(ctx.ref);
  const bootVcpus = vmi?.cpu ? vmi.cpu.sockets * vmi.cpu.cores * vmi.cpu.threads : null;
  const bootMemoryMiB = vmi?.memoryMiB?.guestCurrent ?? null;
  const size: VmSize = { vcpus: ctx.vm.flavor.vcpus, ramMb: ctx.vm.flavor.ramMb };
  if (bootVcpus === null || bootMemoryMiB === null || (bootVcpus === size.vcpus && bootMemoryMiB === size.ramMb)) return;
  await resizePod(ctx, size);
}

/**
 * The pod while the guest changes: room for the larger of the old and new vCPU counts (an unplug
 * gives vCPUs back only after the guest let go of them) and the new memory (it only grows).
 */
function podWhileResizing(ctx: StepContext): VmSize {
  const { from, to } = hotResizeSizes(ctx);
  return { vcpus: Math.max(from.vcpus, to.vcpus), ramMb: to.ramMb };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Infeasible can never fit on this node, and an error applying it will not mend by waiting. */
function refuseFinal(observed: PodResizeObservation): void {
  if (observed.state === 'Infeasible') {
    throw new PermanentAdapterError('PodResizeInfeasible', `The launcher pod cannot grow on its node: ${observed.message ?? 'Infeasible'}`);
  }
  if (observed.state === 'Error') throw new PermanentAdapterError('PodResizeError', `The kubelet failed to resize the launcher pod: ${observed.message ?? 'Error'}`);
}

/** The launcher pod resized to hold a guest of this size, and applied by the kubelet. */
async function resizePod(ctx: StepContext, size: VmSize): Promise<void> {
  const { cluster, launcherMemoryOverheadMiB } = livePorts(ctx);
  refuseFinal(await cluster.resizeLauncherPod(ctx.ref, launcherPodFor(size, launcherMemoryOverheadMiB)));
  await awaitPodSize(ctx, size);
}

/**
 * Waits until the kubelet applied the pod size, up to the pod-resize deadline. Deferred (no room on
 * the node now) that outlasts it fails with that reason rather than hanging: the node is full, and
 * the user should hear so while the VM stays at its old size.
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
      waitDeadline(ctx, 'podResizeMs'),
    );
  } catch (error) {
    const seen = last as PodResizeObservation | null;
    if (seen?.state === 'Deferred') {
      throw new PermanentAdapterError('PodResizeDeferred', `The launcher pod's resize stays deferred past its deadline (deadline exceeded; the node has no room now): ${seen.message ?? 'Deferred'}`, { cause: error });
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
