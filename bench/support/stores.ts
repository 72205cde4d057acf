import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStorage, type Storage } from '../../src/app/storage.js';
import { PostgresDatabase } from '../../src/adapters/sql/postgres-database.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { AppConfig } from '../../src/config/config.schema.js';

export type StoreKind = 'sqlite' | 'postgres';

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchConfig {
  config: AppConfig;
  /** Deletes what the benchmark stored (the directory or the schema). */
  cleanup(): Promise<void>;
}

/** A configuration pointing at a place of its own: a temporary directory or a fresh PostgreSQL schema. */
export function freshConfig(kind: StoreKind): BenchConfig {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'virtplane-bench-'));
    return { config: loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return {
    config: loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, LOG_LEVEL: 'silent' }),
    async cleanup() {
      const admin = new PostgresDatabase({ connectionString: POSTGRES_URL, max: 1 });
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export interface BenchStorage extends Storage {
  dispose(): Promise<void>;
}

/** A fresh, migrated storage of the given kind. */
export async function freshStorage(kind: StoreKind): Promise<BenchStorage> {
  const { config, cleanup } = freshConfig(kind);
  const storage = await openStorage(config);
  return { ...storage, dispose: async () => (await storage.close(), await cleanup()) };
}
