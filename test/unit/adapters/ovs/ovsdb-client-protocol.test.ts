import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OvsdbClient, type TableUpdates } from '../../../../src/adapters/ovs/ovsdb/ovsdb-client.js';
import { JsonStreamFramer } from '../../../../src/adapters/ovs/ovsdb/json-stream-framer.js';
import { eventually } from '../../../support/eventually.js';

/** A scripted peer on a unix socket: records what the client sends and lets the test answer. */
class ScriptedServer {
  readonly received: Array<Record<string, unknown>> = [];
  readonly sockets: Socket[] = [];
  private readonly server: Server;
  readonly path: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'vpc-'));

  constructor(private readonly respond: (message: Record<string, unknown>, socket: Socket) => void) {
    this.path = join(this.dir, 's.sock');
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      const framer = new JsonStreamFramer();
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        for (const message of framer.push(chunk) as Array<Record<string, unknown>>) {
          this.received.push(message);
          this.respond(message, socket);
        }
      });
      socket.on('error', () => undefined);
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('OVSDB client protocol (against a scripted peer)', () => {
  let server: ScriptedServer | undefined;
  let client: OvsdbClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('given the server sends echo, when the client gets it, then it answers with the same id and params', async () => {
    server = new ScriptedServer(() => undefined);
    await server.listen();
    client = await OvsdbClient.connect({ endpoint: `unix:${server.path}`, probeIntervalMs: 0 });
    await eventually(() => expect(server!.sockets).toHaveLength(1));
    server.sockets[0]!.write('{"id":"echo","method":"echo","params":["x",1]}');
    await eventually(() => expect(server!.received).toContainEqual({ id: 'echo', result: ['x', 1], error: null }));
  });

  it('given a reply cut into single characters after an update notification, when read, then both are delivered', async () => {
    server = new ScriptedServer((message, socket) => {
      if (message.method === 'monitor') socket.write(JSON.stringify({ id: message.id, result: {}, error: null }));
      if (message.method === 'transact') {
        const text =
          JSON.stringify({ id: null, method: 'update', params: ['vp-monitor-1', { T: { u1: { new: { name: 'a}"]' } } } }] }) +
          JSON.stringify({ id: message.id, result: [{ count: 1 }], error: null });
        for (const ch of text) socket.write(ch);
      }
    });
    await server.listen();
    client = await OvsdbClient.connect({ endpoint: `unix:${server.path}`, probeIntervalMs: 0 });
    const updates: TableUpdates[] = [];
    await client.monitor('DB', { T: {} }, (u, initial) => {
      if (!initial) updates.push(u);
    });
    const result = await client.transact('DB', [{ op: 'update', table: 'T', where: [], row: {}, mustMatch: false }]);
    expect(result).toEqual([{ count: 1 }]);
    expect(updates).toEqual([{ T: { u1: { new: { name: 'a}"]' } } } }]);
  });

  it('given a reply whose multi-byte characters are split between socket writes, when read, then the text arrives whole', async () => {
    const name = 'nœud-€-😀';
    server = new ScriptedServer((message, socket) => {
      const bytes = Buffer.from(JSON.stringify({ id: message.id, result: [name], error: null }), 'utf8');
      const cut = bytes.indexOf(Buffer.from('😀', 'utf8')) + 2; // inside the 4-byte sequence
      socket.write(bytes.subarray(0, cut));
      setTimeout(() => socket.write(bytes.subarray(cut)), 5);
    });
    await server.listen();
    client = await OvsdbClient.connect({ endpoint: `unix:${server.path}`, probeIntervalMs: 0 });
    expect(await client.request('list_dbs', [])).toEqual([name]);
  });

  it('given a server that stops answering, when the probe interval passes, then the client drops the connection and reconnects', async () => {
    server = new ScriptedServer(() => undefined);
    await server.listen();
    client = await OvsdbClient.connect({ endpoint: `unix:${server.path}`, probeIntervalMs: 40, reconnectDelayMs: { initial: 10, max: 20 } });
    await eventually(() => expect(client!.connections).toBeGreaterThanOrEqual(2), 5_000);
    expect(server.received.some((m) => m.method === 'echo')).toBe(true);
  });

  it('given a reply that does not match a pending request, when read, then it is ignored and the next reply still matches', async () => {
    server = new ScriptedServer((message, socket) => {
      socket.write(JSON.stringify({ id: 9999, result: 'stray', error: null }) + JSON.stringify({ id: message.id, result: ['ok'], error: null }));
    });
    await server.listen();
    client = await OvsdbClient.connect({ endpoint: `unix:${server.path}`, probeIntervalMs: 0 });
    expect(await client.request('list_dbs', [])).toEqual(['ok']);
  });
});
