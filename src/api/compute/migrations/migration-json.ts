import { IN_PROGRESS, type MigrationView } from '../../../projections/migrations/migration-row.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { isoMicros } from '../nova-time.js';

/**
 * A server's in-progress live migration (GET /servers/{id}/migrations, 2.23+). KubeVirt reports a
 * percentage, not bytes: the memory fields are that share of the guest's memory (null before the
 * first report, as Nova shows them); disk progress is not reported.
 */
export function serverMigrationJson(m: MigrationView, version: Microversion, guestMemoryMiB: number): Record<string, unknown> {
  const total = guestMemoryMiB * 2 ** 20;
  const processed = m.progress === null ? null : Math.round((total * m.progress) / 100);
  const json: Record<string, unknown> = {
    created_at: isoMicros(m.createdAt),
    dest_compute: m.destCompute,
    dest_host: null,
    dest_node: m.destCompute,
    disk_processed_bytes: null,
    disk_remaining_bytes: null,
    disk_total_bytes: null,
    id: m.id,
    memory_processed_bytes: processed,
    memory_remaining_bytes: processed === null ? null : total - processed,
    memory_total_bytes: processed === null ? null : total,
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
