import { IN_PROGRESS, type MigrationView } from '../../../projections/migrations/migration-row.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { isoMicros } from '../nova-time.js';

/**
 * A server's in-progress live migration (GET /servers/{id}/migrations, 2.23+). The memory fields are
 * libvirt's figures on the source (its migration job) with the last progress recorded, as Nova's
 * libvirt driver shows them; null before the first report. A migration recorded before the figures
 * were kept shows its percentage of the guest's memory instead. Disk progress is not reported.
 */
export function serverMigrationJson(m: MigrationView, version: Microversion, guestMemoryMiB: number): Record<string, unknown> {
  const memory = m.memory ?? (m.progress === null ? null : shareOfGuest(m.progress, guestMemoryMiB));
  const json: Record<string, unknown> = {
    created_at: isoMicros(m.createdAt),
    dest_compute: m.destCompute,
    dest_host: null,
    dest_node: m.destCompute,
    disk_processed_bytes: null,
    disk_remaining_bytes: null,
    disk_total_bytes: null,
    id: m.id,
    memory_processed_bytes: memory?.processedBytes ?? null,
    memory_remaining_bytes: memory?.remainingBytes ?? null,
    memory_total_bytes: memory?.totalBytes ?? null,
    server_uuid: m.instanceUuid,
    source_compute: m.sourceCompute,
    source_node: m.sourceCompute,
    status: m.status,
    updated_at: isoMicros(m.updatedAt),
  };
  if (isAtLeast(version, '2.59')) json.uuid = m.uuid;
  if (isAtLeast(version, '2.80')) Object.assign(json, { user_id: m.userId, project_id: m.projectId });
  return json;
}

function shareOfGuest(percent: number, guestMemoryMiB: number): NonNullable<MigrationView['memory']> {
  const totalBytes = guestMemoryMiB * 2 ** 20;
  const processedBytes = Math.round((totalBytes * percent) / 100);
  return { totalBytes, processedBytes, remainingBytes: totalBytes - processedBytes };
}

/** One entry of os-migrations, key for key by microversion (2.23 type and links, 2.59 uuid, 2.80 owner). */
export function osMigrationJson(m: MigrationView, version: Microversion, base: string): Record<string, unknown> {
  const json: Record<string, unknown> = {
    created_at: isoMicros(m.createdAt),
    dest_compute: m.destCompute,
    dest_host: null,
    dest_node: m.destCompute,
    id: m.id,
    instance_uuid: m.instanceUuid,
    new_instance_type_id: m.newFlavorId,
    old_instance_type_id: m.oldFlavorId,
    source_compute: m.sourceCompute,
    source_node: m.sourceCompute,
    status: m.status,
    updated_at: isoMicros(m.updatedAt),
  };
  if (isAtLeast(version, '2.23')) {
    json.migration_type = m.migrationType;
    // Nova links only in-progress live migrations, to the server migration that can be shown or aborted.
    if (m.migrationType === 'live-migration' && IN_PROGRESS.includes(m.status)) {
      json.links = [
        { rel: 'self', href: `${base}/compute/v2.1/servers/${m.instanceUuid}/migrations/${m.id}` },
        { rel: 'bookmark', href: `${base}/compute/servers/${m.instanceUuid}/migrations/${m.id}` },
      ];
    }
  }
  if (isAtLeast(version, '2.59')) json.uuid = m.uuid;
  if (isAtLeast(version, '2.80')) Object.assign(json, { user_id: m.userId, project_id: m.projectId });
  return json;
}
