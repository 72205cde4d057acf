import { osMigrationJson, serverMigrationJson } from '../../../src/api/compute/migrations/migration-json.js';
import type { MigrationView } from '../../../src/projections/migrations/migration-row.js';

const running: MigrationView = {
  id: 42,
  uuid: '0190f5f4-0000-7000-8000-00000000aaaa',
  instanceUuid: '0190f5f4-0000-7000-8000-000000000001',
  migrationType: 'live-migration',
  status: 'running',
  sourceCompute: 'node-1',
  destCompute: null,
  oldFlavorId: null,
  newFlavorId: null,
  userId: 'u',
  projectId: 'p',
  createdAt: '2026-11-22T10:00:00.123Z',
  updatedAt: '2026-11-22T10:00:05.000Z',
  progress: 25,
  memory: null,
};
const v = (minor: number) => ({ major: 2, minor });

describe('migration JSON', () => {
  it('given 25% of a 1024 MiB guest copied, then the memory fields are that share in bytes', () => {
    expect(serverMigrationJson(running, v(23), 1024)).toMatchObject({
      id: 42,
      server_uuid: running.instanceUuid,
      status: 'running',
      memory_total_bytes: 1024 * 2 ** 20,
      memory_processed_bytes: 256 * 2 ** 20,
      memory_remaining_bytes: 768 * 2 ** 20,
      created_at: '2026-11-22T10:00:00.123000',
    });
  });

  it('given libvirt\'s figures recorded with the progress, then the memory fields are those bytes, not a share of the flavor', () => {
    // pages dirtied again were sent twice: more processed than remains to the total
    const memory = { totalBytes: 1030 * 2 ** 20, processedBytes: 900 * 2 ** 20, remainingBytes: 300 * 2 ** 20 };
    expect(serverMigrationJson({ ...running, progress: 71, memory }, v(23), 1024)).toMatchObject({
      memory_total_bytes: memory.totalBytes,
      memory_processed_bytes: memory.processedBytes,
      memory_remaining_bytes: memory.remainingBytes,
    });
  });

  it('given no progress report yet, then the memory fields are null; 2.59 adds uuid and 2.80 the owner', () => {
    const json = serverMigrationJson({ ...running, progress: null }, v(80), 1024);
    expect(json).toMatchObject({ memory_total_bytes: null, memory_processed_bytes: null, uuid: running.uuid, user_id: 'u', project_id: 'p' });
    expect(serverMigrationJson(running, v(58), 1024)).not.toHaveProperty('uuid');
  });

  it('given os-migrations, then links only for an in-progress live migration and keys by microversion', () => {
    const base = 'http://cloud.example';
    expect(osMigrationJson(running, v(23), base).links).toEqual([
      { rel: 'self', href: `${base}/compute/v2.1/servers/${running.instanceUuid}/migrations/42` },
      { rel: 'bookmark', href: `${base}/compute/servers/${running.instanceUuid}/migrations/42` },
    ]);
    expect(osMigrationJson({ ...running, status: 'completed' }, v(23), base)).not.toHaveProperty('links');
    expect(osMigrationJson(running, v(22), base)).not.toHaveProperty('migration_type');
    expect(Object.keys(osMigrationJson(running, v(80), base))).toEqual(expect.arrayContaining(['migration_type', 'uuid', 'user_id', 'project_id']));
  });
});
