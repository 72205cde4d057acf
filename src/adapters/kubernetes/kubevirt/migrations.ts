import { PermanentAdapterError } from '../../adapter-errors.js';
import type { MigrationObservation, MigrationRef, VmRef } from '../cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';
import { asKubeApiError } from './kube-errors.js';
import { migrationManifest } from './kubevirt-manifests.js';
import { observeMigration } from './kubevirt-observations.js';

/**
 * Creates the VirtualMachineInstanceMigration (kubevirt-api.md §4), idempotent by its name; a
 * target node narrows it through addedNodeSelector (it may only narrow the VM's placement). The
 * webhook's refusals (400: not migratable, one already unfinished) are final for this attempt.
 */
export async function startMigration(api: KubeApi, ref: VmRef, name: string, targetNode?: string): Promise<MigrationObservation> {
  const existing = await api.getCustom('virtualmachineinstancemigrations', ref.namespace, name);
  if (existing) return sameMigration(api, existing, ref);
  const vmi = await api.getCustom('virtualmachineinstances', ref.namespace, ref.name);
  if (!vmi || (vmi.status as { phase?: string } | undefined)?.phase !== 'Running') {
    throw new PermanentAdapterError('VmNotRunning', `VMI ${ref.namespace}/${ref.name} is not running; nothing to migrate`);
  }
  try {
    const created = await api.createCustom('virtualmachineinstancemigrations', ref.namespace, migrationManifest(ref.namespace, name, ref.name, targetNode));
    return observeMigration(created, vmi);
  } catch (error) {
    const api409 = asKubeApiError(error);
    if (api409.status === 400) throw new PermanentAdapterError('MigrationRefused', `migration of ${ref.namespace}/${ref.name} refused: ${api409.message}`, { cause: error });
    if (api409.status !== 409) throw error;
    const raced = await api.getCustom('virtualmachineinstancemigrations', ref.namespace, name);
    if (!raced) throw error;
    return sameMigration(api, raced, ref);
  }
}

export async function getMigration(api: KubeApi, ref: MigrationRef): Promise<MigrationObservation | null> {
  const migration = await api.getCustom('virtualmachineinstancemigrations', ref.namespace, ref.name);
  if (!migration) return null;
  const vmiName = (migration.spec as { vmiName?: string } | undefined)?.vmiName;
  const vmi = vmiName ? await api.getCustom('virtualmachineinstances', ref.namespace, vmiName) : null;
  return observeMigration(migration, vmi);
}

/** Deleting a running migration is KubeVirt's abort; the finalizer keeps it until handled. */
export async function abortMigration(api: KubeApi, ref: MigrationRef): Promise<void> {
  await api.deleteCustom('virtualmachineinstancemigrations', ref.namespace, ref.name);
}

async function sameMigration(api: KubeApi, migration: CustomObject, ref: VmRef): Promise<MigrationObservation> {
  const vmiName = (migration.spec as { vmiName?: string } | undefined)?.vmiName;
  if (vmiName !== ref.name) {
    throw new PermanentAdapterError('AlreadyExists', `virtualmachineinstancemigrations "${migration.metadata.name}" exists for another VMI (${vmiName})`);
  }
  const vmi = await api.getCustom('virtualmachineinstances', ref.namespace, ref.name);
  return observeMigration(migration, vmi);
}
