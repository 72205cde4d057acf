import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { MigrationObservation, MigrationRef } from '../../../adapters/kubernetes/cluster.port.js';
import { awaitCondition } from './await-condition.js';
import { fitLauncherPodToGuest } from './hot-resize-steps.js';
import { livePorts, waitDeadline } from './live-change-context.js';
import { beginPortMoves, settlePorts } from './migration-port-moves.js';
import { MigrationProgressFollower } from './migration-progress.js';
import type { StepContext, StepRunner } from './step-context.js';

/** The VirtualMachineInstanceMigration of a task: named after it, so a retried create finds the first. */
export function migrationRef(ctx: StepContext): MigrationRef {
  return { namespace: ctx.ref.namespace, name: `mig-${ctx.vm.task?.taskId ?? ctx.vm.id}`.toLowerCase().slice(0, 63) };
}

/**
 * Live migration (kubevirt-api.md §4): create the migration, follow its phases until the VMI runs on
 * the target (the new host is the step's outcome), recording how much memory libvirt on the source
 * copied meanwhile (MigrationProgressFollower), and as the undo, delete it (KubeVirt's abort) and
 * wait until the VMI is settled again, reporting where it runs.
 */
export const LIVE_MIGRATION_STEPS: Readonly<Record<string, StepRunner>> = {
  'start-migration': async (ctx) => {
    const target = ctx.vm.migration?.targetHost ?? undefined;
    const started = await livePorts(ctx).cluster.startMigration(ctx.ref, { name: migrationRef(ctx).name, ...(target ? { targetNode: target } : {}) });
    if (started.phase === 'Failed') throw migrationFailed(started);
    return {};
  },
  'follow-migration': async (ctx) => {
    const cluster = livePorts(ctx).cluster;
    const ref = migrationRef(ctx);
    const progress = new MigrationProgressFollower(ctx);
    let portsMoving = false;
    const look = async () => {
      const m = await cluster.getMigration(ref);
      // Once the target is known, the NICs' ports are bound to both nodes, so the guest keeps its
      // network through the switch-over (OVN takes the target's binding when the guest announces itself).
      const target = m?.migrationState?.targetNode;
      if (!portsMoving && target && m.phase !== 'Failed') {
        await beginPortMoves(ctx, target);
        portsMoving = true;
      }
      await progress.look(m);
      return m;
    };
    const done = await awaitCondition(
      ctx,
      `migration ${ref.name} of VM ${ctx.vm.id} to finish`,
      look,
      (m) => {
        if (!m) throw new PermanentAdapterError('MigrationNotFound', `migration ${ref.namespace}/${ref.name} is gone before it finished`);
        if (m.phase === 'Failed' || m.migrationState?.failed) throw migrationFailed(m);
        return m.phase === 'Succeeded' ? m : undefined;
      },
      (m) => (m ? `${m.phase}${m.phase === 'Running' && progress.percent !== null ? `, ${progress.percent}% of memory copied` : ''}` : 'gone'),
      // Followed while it moves, however long that takes, up to the migration deadline: counting
      // attempts would give up on a slow but healthy migration.
      waitDeadline(ctx, 'migrationMs'),
    );
    const node = done.migrationState?.targetNode ?? (await cluster.getVmi(ctx.ref))?.node ?? undefined;
    const wanted = ctx.vm.migration?.targetHost;
    if (wanted && node && node !== wanted) {
      throw new PermanentAdapterError('MigrationWrongTarget', `migration ${ref.name} landed on ${node}, not on the requested host ${wanted}`);
    }
    if (node) await settlePorts(ctx, node);
    await fitLauncherPodToGuest(ctx);
    return node ? { host: node } : {};
  },
  'abort-migration': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const cluster = livePorts(ctx).cluster;
    const ref = migrationRef(ctx);
    await cluster.abortMigration(ref);
    // The finalizer keeps the migration until KubeVirt handled the abort; then it is gone or final.
    await awaitCondition(
      ctx,
      `migration ${ref.name} of VM ${ctx.vm.id} to stop`,
      () => cluster.getMigration(ref),
      (m) => (m === null || m.phase === 'Failed' || m.phase === 'Succeeded' ? true : undefined),
      (m) => (m ? `${m.phase}${m.migrationState?.abortStatus ? `, abort ${m.migrationState.abortStatus}` : ''}` : 'gone'),
    );
    const vmi = await cluster.getVmi(ctx.ref);
    // The ports follow the guest: back on the source after an abort, on the target if it switched over anyway.
    if (vmi?.node) await settlePorts(ctx, vmi.node);
    return vmi?.node ? { host: vmi.node } : {};
  },
};

function migrationFailed(m: MigrationObservation): PermanentAdapterError {
  const reason = m.migrationState?.failureReason ?? 'no reason given';
  return new PermanentAdapterError('MigrationFailed', `Live migration ${m.ref.name} failed: ${reason}`);
}
