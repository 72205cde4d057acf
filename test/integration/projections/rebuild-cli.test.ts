import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/event-store/sqlite/sqlite-event-store.js';
import { runMigrations } from '../../../src/adapters/sql/migration-runner.js';
import { SqliteDatabase } from '../../../src/adapters/sql/sqlite-database.js';
import { SQLITE_EVENTS_FILE, SQLITE_READ_MODELS_FILE } from '../../../src/app/storage.js';
import { main } from '../../../src/projections/rebuild.cli.js';
import { appendEventLog, readEventLog } from '../../fixtures/event-log.js';

describe('rebuild CLI (SQLite files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtplane-rebuild-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('given an events file, when run with "all", then the read-model file holds every server', async () => {
    const eventsDb = new SqliteDatabase({ path: join(dir, SQLITE_EVENTS_FILE) });
    await runMigrations(eventsDb);
    const store = new SqliteEventStore(eventsDb, { closeDatabase: true });
    await appendEventLog(store, readEventLog('lifecycle'));
    await store.close();

    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(['all'], { EVENT_STORE: 'sqlite', DATA_DIR: dir });
    out.mockRestore();

    expect(code).toBe(0);
    const db = new SqliteDatabase({ path: join(dir, SQLITE_READ_MODELS_FILE) });
    const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM servers');
    const audit = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log');
    await db.close();
    expect(rows[0]!.n).toBe(4);
    expect(audit[0]!.n).toBe(43);
  });

  it('without arguments, prints its usage and exits 2', async () => {
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([], { DATA_DIR: dir })).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/^usage: rebuild-projection <servers\|instance-actions\|audit-log\|[a-z|-]*all>/);
    err.mockRestore();
  });
});
