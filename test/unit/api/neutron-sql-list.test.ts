import type { SqlExecutor, SqlValue } from '../../../src/adapters/sql/sql-database.js';
import { neutronSqlList, type SqlListSpec } from '../../../src/api/network/neutron-sql-list.js';

type Row = { id: string; name: string; fixed_ips: string; position: number };

/** A database that records the statements and answers from rows it filters by id only. */
function recordingDb(rows: Row[]) {
  const statements: { sql: string; params: SqlValue[] }[] = [];
  const db = {
    async query<R>(sql: string, params: SqlValue[] = []): Promise<R[]> {
      statements.push({ sql, params });
      if (/ AND id = \?/.test(sql)) return rows.filter((r) => params.includes(r.id)) as unknown as R[];
      const after = /id > \?/.test(sql) ? String(params[params.length - 1]) : '';
      const limit = /LIMIT (\d+)/.exec(sql);
      const selected = rows.filter((r) => r.id > after);
      return (limit ? selected.slice(0, Number(limit[1])) : selected) as unknown as R[];
    },
  } as unknown as SqlExecutor;
  return { db, statements };
}

const spec = (overrides: Partial<SqlListSpec<Row>> = {}): SqlListSpec<Row> => ({
  collection: 'ports',
  filterable: ['id', 'name', 'fixed_ips', 'status'],
  url: 'http://x/network/v2.0/ports',
  markerNotFound: (id) => `Port ${id} could not be found.`,
  table: 'ports',
  columns: ['id', 'name', 'fixed_ips', 'position'],
  attributes: { id: { column: 'id', type: 'text' }, name: { column: 'name', type: 'text' } },
  fixedIpsColumn: 'fixed_ips',
  visibility: { clause: 'project_id = ?', params: ['p1'] },
  render: (r) => ({ id: r.id, name: r.name, status: 'DOWN' }),
  ...overrides,
});

const rows: Row[] = ['a', 'b', 'c'].map((id, i) => ({ id, name: `n-${id}`, fixed_ips: '[]', position: i }));

describe('Neutron lists in SQL', () => {
  it('given column filters and fixed_ips, when listed, then they are WHERE conditions with the visibility, values bound', async () => {
    const { db, statements } = recordingDb(rows);
    await neutronSqlList(db, { name: ['n-a', 'n-b'], fixed_ips: 'ip_address=10.0.0.5' }, spec());
    expect(statements).toHaveLength(1);
    expect(statements[0]!.sql).toBe(
      "SELECT id, name, fixed_ips, position FROM ports WHERE deleted = 0 AND (project_id = ?) AND (name IN (?, ?)) AND fixed_ips LIKE ? ESCAPE '\\'",
    );
    expect(statements[0]!.params).toEqual(['p1', 'n-a', 'n-b', '%"ipAddress":"10.0.0.5"%']);
  });

  it('given a limit and a marker in the default order, then the page is keyset SQL with one row more for the next link', async () => {
    const { db, statements } = recordingDb(rows);
    const body = await neutronSqlList(db, { limit: '1', marker: 'a' }, spec());
    expect(statements.map((s) => s.sql)).toEqual([
      'SELECT id FROM ports WHERE deleted = 0 AND (project_id = ?) AND id = ?',
      'SELECT id, name, fixed_ips, position FROM ports WHERE deleted = 0 AND (project_id = ?) AND id > ? ORDER BY id LIMIT 2',
    ]);
    expect(body.ports).toEqual([{ id: 'b', name: 'n-b', status: 'DOWN' }]);
    expect(body.ports_links).toEqual([
      { rel: 'next', href: 'http://x/network/v2.0/ports?limit=1&marker=b' },
      { rel: 'previous', href: 'http://x/network/v2.0/ports?limit=1&marker=b&page_reverse=True' },
    ]);
  });

  it('given a filter that is no column (status), then SQL narrows by the rest and the rows are checked here', async () => {
    const { db, statements } = recordingDb(rows);
    const body = await neutronSqlList(db, { status: 'ACTIVE', limit: '2' }, spec());
    expect(statements[0]!.sql).not.toMatch(/LIMIT/);
    expect(body.ports).toEqual([]);
  });

  it('given an unknown filter, then 400 before any query', async () => {
    const { db, statements } = recordingDb(rows);
    await expect(neutronSqlList(db, { colour: 'blue' }, spec())).rejects.toThrow(/colour\] is invalid attribute for filtering/);
    expect(statements).toEqual([]);
  });
});
