import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStreamFramer } from '../../src/adapters/ovs/ovsdb/json-stream-framer.js';

type Message = { id?: unknown; method?: string; params?: unknown[] };

/**
 * A unix-socket proxy in front of a real ovsdb-server that can lose one reply: the server commits the
 * transaction, and the client sees its connection drop instead of the answer (what a network cut at
 * the wrong moment does). Everything else passes through unchanged.
 */
export class LossyOvsdbProxy {
  private readonly server: Server;
  private readonly dir = mkdtempSync(join(tmpdir(), 'vpl-'));
  readonly path = join(this.dir, 'p.sock');
  private armed: ((operations: Array<{ op?: string }>) => boolean) | undefined;
  /** Replies dropped so far. */
  dropped = 0;

  constructor(private readonly upstream: string) {
    this.server = createServer((client) => this.relay(client));
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(this.path, resolve));
  }

  get endpoint(): string {
    return `unix:${this.path}`;
  }

  /** The reply to the next transact whose operations match is lost and the connection cut. */
  loseNextReply(match: (operations: Array<{ op?: string }>) => boolean): void {
    this.armed = match;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private relay(client: Socket): void {
    const server = connect(this.upstream);
    const doomed = new Set<unknown>();
    const up = new JsonStreamFramer();
    const down = new JsonStreamFramer();
    client.setEncoding('utf8');
    server.setEncoding('utf8');
    const cut = () => {
      client.destroy();
      server.destroy();
    };
    client.on('data', (chunk: string) => {
      for (const message of up.push(chunk) as Message[]) {
        if (this.armed && message.method === 'transact' && this.armed((message.params ?? []).slice(1) as Array<{ op?: string }>)) {
          this.armed = undefined;
          doomed.add(message.id);
        }
        server.write(JSON.stringify(message));
      }
    });
    server.on('data', (chunk: string) => {
      for (const message of down.push(chunk) as Message[]) {
        if (message.method === undefined && doomed.has(message.id)) {
          this.dropped += 1;
          cut();
          return;
        }
        client.write(JSON.stringify(message));
      }
    });
    client.on('error', cut).on('close', cut);
    server.on('error', cut).on('close', cut);
  }
}
