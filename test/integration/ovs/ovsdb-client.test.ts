import { randomUUID } from 'node:crypto';
import { AdapterError, TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import { OvsdbClient, type TableUpdates } from '../../../src/adapters/ovs/ovsdb/ovsdb-client.js';
import { decodeStringMap, decodeStringSet, ovsdbMap, uuid } from '../../../src/adapters/ovs/ovsdb/ovsdb-encoding.js';
import { OvsdbOperationError, OvsdbRpcError } from '../../../src/adapters/ovs/ovsdb/ovsdb-errors.js';
import { eventually } from '../../support/eventually.js';
import { OvsdbServers, shouldRunOvsdbTests } from '../../support/ovsdb-servers.js';

const NB = 'OVN_Northbound';

/** Keeps every row a monitor reports, as a replica would, replacing them on each initial reply. */
class Replica {
  readonly tables = new Map<string, Map<string, Record<string, unknown>>>();
  initials = 0;
  readonly listener = (updates: TableUpdates, initial: boolean) => {
    if (initial) {
      this.tables.clear();
      this.initials += 1;
    }
    for (const [table, rows] of Object.entries(updates)) {
      const current = this.tables.get(table) ?? new Map<string, Record<string, unknown>>();
      this.tables.set(table, current);
      for (const [id, change] of Object.entries(rows)) {
        if (change.new) current.set(id, { ...current.get(id), ...change.new });
        else current.delete(id);
      }
    }
  };

  rows(table: string): Array<Record<string, unknown>> {
    return [...(this.tables.get(table)?.values() ?? [])];
  }
}

if (shouldRunOvsdbTests({ ssl: true })) {
  describe('OVSDB client against a real ovsdb-server', () => {
    let servers: OvsdbServers;
    let client: OvsdbClient;
    beforeAll(async () => {
      servers = await OvsdbServers.start({ ssl: true });
    });
    afterAll(() => servers?.dispose());
    beforeEach(async () => {
      client = await OvsdbClient.connect({ endpoint: servers.socket('nb'), requestTimeoutMs: 5_000, reconnectDelayMs: { initial: 20, max: 200 } });
    });
    afterEach(() => client.close());

    const insertSwitch = (name: string) => client.transact(NB, [{ op: 'insert', table: 'Logical_Switch', row: { name } }]);

    it('given both transports, when the databases are listed, then the server answers over unix and TCP', async () => {
      expect(await client.request('list_dbs', [])).toEqual(expect.arrayContaining([NB]));
      const tcp = await OvsdbClient.connect({ endpoint: servers.tcp('nb') });
      try {
        expect(await tcp.request('list_dbs', [])).toEqual(expect.arrayContaining([NB]));
      } finally {
        tcp.close();
      }
    });

    it('given the ssl: endpoint and the test CA, when connected with a client certificate, then requests run over mutual TLS', async () => {
      const tls = await OvsdbClient.connect({ endpoint: servers.ssl('nb'), tls: servers.clientTls() });
      try {
        expect(await tls.request('list_dbs', [])).toEqual(expect.arrayContaining([NB]));
      } finally {
        tls.close();
      }
    });

    it('given the ssl: endpoint, when the server certificate is not from a trusted CA, then the connection is refused transiently', async () => {
      const { cert, key } = servers.clientTls();
      const error = await OvsdbClient.connect({ endpoint: servers.ssl('nb'), tls: { cert, key }, requestTimeoutMs: 500 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'Unavailable', retryable: true });
      expect((error as Error).message).toMatch(/certificate/i);
    });

    it('given an unknown column, when transacted, then the error inside the result fails the call with its index', async () => {
      const error = await client
        .transact(NB, [{ op: 'select', table: 'Logical_Switch', where: [], columns: ['name'] }, { op: 'insert', table: 'Logical_Switch', row: { bogus: 1 } }])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OvsdbOperationError);
      expect(error).toMatchObject({ error: 'unknown column', operationIndex: 1, retryable: false });
    });

    it('given two ports with one name, when committed, then the commit-time failure fails the call and nothing is committed', async () => {
      const name = `dup-${randomUUID()}`;
      const error = await client
        .transact(NB, [
          { op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': 'a', row: { name } },
          { op: 'insert', table: 'Logical_Switch_Port', 'uuid-name': 'b', row: { name } },
          { op: 'insert', table: 'Logical_Switch', row: { name: `ls-${name}`, ports: ['set', [['named-uuid', 'a'], ['named-uuid', 'b']]] } },
        ])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ error: 'constraint violation', operationIndex: null });
      const [found] = await client.transact(NB, [{ op: 'select', table: 'Logical_Switch', where: [['name', '==', `ls-${name}`]] }]);
      expect(found!.rows).toEqual([]);
    });

    it('given an update that matches no row, when transacted, then it is a retryable Conflict and the insert before it is not committed', async () => {
      const name = `guarded-${randomUUID()}`;
      const error = await client
        .transact(NB, [
          { op: 'insert', table: 'Logical_Switch', row: { name } },
          { op: 'update', table: 'Logical_Switch', where: [['name', '==', 'no-such-switch']], row: { external_ids: ovsdbMap({ a: 'b' }) } },
        ])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'Conflict', retryable: true, operationIndex: 1 });
      const [found] = await client.transact(NB, [{ op: 'select', table: 'Logical_Switch', where: [['name', '==', name]] }]);
      expect(found!.rows).toEqual([]);
    });

    it('given mustMatch false, when a delete matches nothing, then it succeeds with count 0', async () => {
      const [result] = await client.transact(NB, [{ op: 'delete', table: 'Logical_Switch', where: [['name', '==', 'nothing-here']], mustMatch: false }]);
      expect(result).toEqual({ count: 0 });
    });

    it('given an unknown database, when transacted, then the JSON-RPC error is an OvsdbRpcError', async () => {
      await expect(client.transact('Nope', [{ op: 'comment', comment: 'x' }])).rejects.toBeInstanceOf(OvsdbRpcError);
    });

    it('given a monitor, when a switch is added through the client and by ovn-nbctl, then both arrive as updates', async () => {
      const replica = new Replica();
      const monitor = await client.monitor(NB, { Logical_Switch: { columns: ['name', 'external_ids'] } }, replica.listener);
      const mine = `mine-${randomUUID()}`;
      const theirs = `theirs-${randomUUID()}`;
      await insertSwitch(mine);
      await servers.nbctl('ls-add', theirs, '--', 'set', 'Logical_Switch', theirs, 'external_ids:owner=operator');
      await eventually(() => {
        const names = replica.rows('Logical_Switch').map((r) => r.name);
        expect(names).toEqual(expect.arrayContaining([mine, theirs]));
      });
      const row = replica.rows('Logical_Switch').find((r) => r.name === theirs)!;
      expect(decodeStringMap(row.external_ids)).toEqual({ owner: 'operator' });
      await monitor.cancel();
      await insertSwitch(`after-cancel-${randomUUID()}`);
      // A round trip after the insert: an update for the cancelled monitor would have arrived before it.
      await client.request('list_dbs', []);
      expect(replica.rows('Logical_Switch').some((r) => String(r.name).startsWith('after-cancel'))).toBe(false);
    });

    it('given a monitor, when the server restarts, then requests fail transiently, the client reconnects and the monitor is resubscribed', async () => {
      const replica = new Replica();
      await client.monitor(NB, { Logical_Switch: { columns: ['name'] }, Logical_Switch_Port: { columns: ['name', 'addresses'] } }, replica.listener);
      const before = `before-restart-${randomUUID()}`;
      await insertSwitch(before);
      const resubscribed = new Promise((resolve) => client.once('resubscribed', resolve));

      await servers.stopServer('nb');
      const whileDown = await client.transact(NB, [{ op: 'comment', comment: 'down' }], { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(whileDown).toBeInstanceOf(TransientAdapterError);
      expect((whileDown as AdapterError).code).toMatch(/ConnectionLost|Unavailable|Timeout/);

      await servers.startServer('nb');
      expect(await resubscribed).toBe(1);
      expect(client.connections).toBeGreaterThanOrEqual(2);
      expect(replica.initials).toBe(2);
      expect(replica.rows('Logical_Switch').map((r) => r.name)).toContain(before);

      // The resubscribed monitor sees changes made from outside after the restart.
      await servers.nbctl('ls-add', 'after-restart', '--', 'lsp-add', 'after-restart', 'p-after', '--', 'lsp-set-addresses', 'p-after', '02:00:00:00:00:aa 10.9.0.5');
      await eventually(() => {
        const port = replica.rows('Logical_Switch_Port').find((r) => r.name === 'p-after');
        expect(decodeStringSet(port?.addresses)).toEqual(['02:00:00:00:00:aa 10.9.0.5']);
      });
    });

    it('given the server is down, when a request is made, then it waits for the reconnection and succeeds', async () => {
      const noticed = new Promise((resolve) => client.once('disconnected', resolve));
      await servers.stopServer('nb');
      // The server's exit and the socket's close reach us in either order: a request written before the
      // client saw the close went out on the old connection, and its outcome is rightly unknown.
      await noticed;
      const pending = client.request('list_dbs', []);
      await servers.startServer('nb');
      expect(await pending).toEqual(expect.arrayContaining([NB]));
    });

    it('given a row inserted, when selected by uuid, then the uuid encoding round-trips', async () => {
      const [inserted] = await insertSwitch(`by-uuid-${randomUUID()}`);
      const [found] = await client.transact(NB, [{ op: 'select', table: 'Logical_Switch', where: [['_uuid', '==', uuid(inserted!.uuid![1])]], columns: ['_uuid'] }]);
      expect(found!.rows).toEqual([{ _uuid: inserted!.uuid }]);
    });
  });
} else {
  it.skip('OVSDB client integration: ovsdb-server or ovn-nbctl is not installed, skipped only outside CI (under CI=true it runs and fails)', () => undefined);
}
