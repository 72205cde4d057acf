import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import { supportsLiveUpdate, type LiveUpdateClusterPort, type LiveUpdateObservation } from '../../../adapters/kubernetes/live-update-cluster.port.js';
import { awaitCondition } from './await-condition.js';
import { hotResizeSizes, livePorts, unlessGone, waitDeadline } from './live-change-context.js';
import type { StepContext, StepRunner } from './step-context.js';

/**
 * The hot resize by KubeVirt's live update (kubevirt-api.md §5, vmRolloutStrategy LiveUpdate): the
 * VM template gets the new sockets / guest memory, KubeVirt sets HotVCPUChange / HotMemoryChange,
 * migrates the VM to a launcher pod of the new size and hot-plugs there; the VMI then runs with the
 * new size on its new node. RestartRequired (beyond the boot headroom, or a VM KubeVirt cannot
 * migrate) and a failed migration end the task; its undo puts the template back and stops a
 * migration still under way, then reads back what the VMI runs with.
 */
export const LIVE_UPDATE_STEPS: Readonly<Record<string, StepRunner>> = {
  'update-vm-template': async (ctx) => {
    const cluster = liveUpdatePorts(ctx);
    const { to } = hotResizeSizes(ctx);
    const seen = await cluster.getLiveUpdate(ctx.ref);
    if (!seen) throw new PermanentAdapterError('VmNotRunning', `VM ${ctx.vm.id} has no running VMI to live-update`);
    // KubeVirt would not migrate it (memory: RestartRequired, which then holds back every template
    // change, NIC hotplug included, until a reboot): refuse before touching the template.
    if (seen.notMigratable) {
      throw new PermanentAdapterError('NotMigratable', `VM ${ctx.vm.id} cannot be live-updated: KubeVirt cannot migrate it (${seen.notMigratable}).`);
    }
    await cluster.updateVmTemplateSize(ctx.ref, { vcpus: to.vcpus, memoryMiB: to.ramMb });
    return {};
  },
  'follow-live-update': async (ctx) => {
    const cluster = liveUpdatePorts(ctx);
    const { to } = hotResizeSizes(ctx);
    const done = await awaitCondition(
      ctx,
      `KubeVirt's live update of VM ${ctx.vm.id} to ${to.vcpus} vCPUs and ${to.ramMb} MiB`,
      () => cluster.getLiveUpdate(ctx.ref),
      (seen) => {
        if (!seen) throw new PermanentAdapterError('VmNotRunning', `VM ${ctx.vm.id} stopped running during its live update`);
        // What KubeVirt says before it has synced the new template is about the template before.
        if (seen.awaitingController) return undefined;
        if (seen.restartRequired) throw new PermanentAdapterError('RestartRequired', `KubeVirt cannot apply the new size live: ${seen.restartRequired}`);
        if (seen.memoryFailed) throw new PermanentAdapterError('HotMemoryChangeFailed', `KubeVirt's memory hotplug failed: ${seen.memoryFailed}`);
        const m = seen.migration;
        if (m && (m.phase === 'Failed' || m.migrationState?.failed) && (seen.pending.vcpus || seen.pending.memory)) {
          throw new PermanentAdapterError('MigrationFailed', `KubeVirt's migration ${m.ref.name} for the live update failed: ${m.migrationState?.failureReason ?? 'no reason given'}`);
        }
        return applied(seen, to) ? seen : undefined;
      },
      (seen) => (seen ? describe(seen) : 'no running VMI'),
      waitDeadline(ctx, 'migrationMs'),
    );
    return done.node ? { host: done.node } : {};
  },

  // The undo: template back, KubeVirt's migration (if one still runs) deleted, and the VMI checked.
  'restore-vm-template': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const cluster = liveUpdatePorts(ctx);
    const { from } = hotResizeSizes(ctx);
    const before = await cluster.getLiveUpdate(ctx.ref);
    const m = before?.migration;
    if (m && !['Succeeded', 'Failed'].includes(m.phase)) await cluster.abortMigration(m.ref);
    // Also when the VM stopped meanwhile: its next boot reads the template.
    await unlessGone(['VmNotFound'], () => cluster.updateVmTemplateSize(ctx.ref, { vcpus: from.vcpus, memoryMiB: from.ramMb }));
    if (!before) return {};
    const settled = await awaitCondition(
      ctx,
      `VM ${ctx.vm.id} settled after its live update was undone`,
      () => cluster.getLiveUpdate(ctx.ref),
      // Settled once KubeVirt has taken the template back (no workload-update migration is started
      // for the size undone after this) and no migration of the change still runs.
      (seen) => (!seen || (!seen.awaitingController && (!seen.migration || ['Succeeded', 'Failed'].includes(seen.migration.phase))) ? { seen } : undefined),
      (seen) => (seen ? describe(seen) : 'no running VMI'),
    );
    const seen = settled.seen;
    if (!seen) return {};
    // KubeVirt cannot take sockets or memory back from a running VM: if the hot-plug happened
    // anyway, say what the guest has rather than let the old size stand as the record.
    if ((seen.running.vcpus !== null && seen.running.vcpus !== from.vcpus) || (seen.running.memoryMiB !== null && seen.running.memoryMiB !== from.ramMb)) {
      throw new PermanentAdapterError(
        'LiveUpdateNotUndone',
        `VM ${ctx.vm.id} runs with ${seen.running.vcpus ?? '?'} vCPUs and ${seen.running.memoryMiB ?? '?'} MiB after KubeVirt's live update; its template is back at ${from.vcpus} vCPUs and ${from.ramMb} MiB, which a reboot applies.`,
      );
    }
    return seen.node ? { host: seen.node } : {};
  },
};

function liveUpdatePorts(ctx: StepContext): LiveUpdateClusterPort {
  const cluster = livePorts(ctx).cluster;
  if (!supportsLiveUpdate(cluster)) {
    throw new PermanentAdapterError('NotSupported', "The cluster adapter of this deployment cannot follow KubeVirt's live update.");
  }
  return cluster;
}

function applied(seen: LiveUpdateObservation, to: { vcpus: number; ramMb: number }): boolean {
  return !seen.pending.vcpus && !seen.pending.memory && seen.running.vcpus === to.vcpus && seen.running.memoryMiB === to.ramMb;
}

function describe(seen: LiveUpdateObservation): string {
  if (seen.awaitingController) return `KubeVirt has not taken the new template yet; running ${seen.running.vcpus ?? '?'} vCPUs / ${seen.running.memoryMiB ?? '?'} MiB on ${seen.node ?? '?'}`;
  const pending = [seen.pending.vcpus ? 'HotVCPUChange' : '', seen.pending.memory ? 'HotMemoryChange' : ''].filter(Boolean).join(', ');
  const m = seen.migration;
  return `running ${seen.running.vcpus ?? '?'} vCPUs / ${seen.running.memoryMiB ?? '?'} MiB on ${seen.node ?? '?'}${pending ? `, ${pending}` : ''}${m ? `, migration ${m.ref.name} ${m.phase}` : ''}`;
}
