import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { TransientAdapterError } from '../../adapter-errors.js';
import { JsonStreamFramer } from './json-stream-framer.js';
import type { OvsdbRow } from './ovsdb-encoding.js';
import { formatOvsdbEndpoint, openOvsdbSocket, parseOvsdbEndpoint, type OvsdbEndpoint } from './ovsdb-endpoint.js';
import { OvsdbOperationError, OvsdbRpcError } from './ovsdb-errors.js';
import { assertSomeRow, type Operation, type OperationResult } from './ovsdb-operations.js';

export interface OvsdbClientOptions {
  /** unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT (OVS notation), or the parsed form. */
  endpoint: string | OvsdbEndpoint;
  /** CA, certificate and key for ssl: endpoints. */
  tls?: ConnectionOptions;
  /** How long one request (including waiting for a connection) may take; default 10 s. */
  requestTimeoutMs?: number;
  /** Reconnect backoff: doubles from `initial` up to `max`, with jitter; default 50 ms .. 2 s. */
  reconnectDelayMs?: { initial: number; max: number };
  /**
   * After this long without a message the client sends an echo and drops the connection if it goes
   * unanswered for as long again (a half-open TCP connection otherwise hangs every request until its
   * timeout). 0 disables; default 5 s, as ovsdb-server's own probe.
   */
  probeIntervalMs?: number;
}

export interface RequestOptions {
  /** Overrides the client's request timeout for this call. */
  timeoutMs?: number;
}

/** A monitor's `update` payload: table name -> row uuid -> old and/or new row (RFC 7047 4.1.6). */
export type TableUpdates = Record<string, Record<string, { old?: OvsdbRow; new?: OvsdbRow }>>;

/** `initial` is true for the monitor reply, on subscribe and again after every reconnect. */
export type MonitorListener = (updates: TableUpdates, initial: boolean) => void;

export interface MonitorRequest {
  columns?: string[];
  select?: { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
}

export interface OvsdbMonitor {
  readonly id: string;
  cancel(): Promise<void>;
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

interface MonitorEntry {
  db: string;
  requests: Record<string, MonitorRequest>;
  listener: MonitorListener;
}

type State = 'connecting' | 'connected' | 'closed';

/**
 * An OVSDB JSON-RPC client (RFC 7047) over one connection that it keeps up: requests are matched to
 * replies by id; the server's `echo` is answered; a lost connection fails the requests in flight
 * (their outcome is unknown, so callers retry idempotent operations), reconnects with backoff and
 * re-sends every live monitor, whose listener then gets the full state again (`initial` = true).
 *
 * Events: 'connected' (connection number), 'disconnected' (reason), 'resubscribed' (monitor count),
 * 'monitorError' (error): a monitor that could not be re-sent after a reconnect.
 */
export class OvsdbClient extends EventEmitter {
  private readonly endpoint: OvsdbEndpoint;
  private readonly requestTimeoutMs: number;
  private readonly backoff: { initial: number; max: number };
  private readonly probeIntervalMs: number;
  private readonly framer = new JsonStreamFramer();
  private readonly pending = new Map<number, Pending>();
  private readonly monitors = new Map<string, MonitorEntry>();
  private readonly connectedWaiters = new Set<() => void>();
  private socket: Socket | undefined;
  private state: State = 'connecting';
  private nextId = 1;
  private nextMonitor = 1;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private lastMessageAt = Date.now();
  private probing = false;
  /** Why the last connection attempt failed, for the message of a request that gave up waiting. */
  private lastConnectError: Error | undefined;
  /** Connections made so far (1 after the first connect). */
  connections = 0;

  private constructor(private readonly options: OvsdbClientOptions) {
    super();
    this.endpoint = typeof options.endpoint === 'string' ? parseOvsdbEndpoint(options.endpoint) : options.endpoint;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.backoff = options.reconnectDelayMs ?? { initial: 50, max: 2_000 };
    this.probeIntervalMs = options.probeIntervalMs ?? 5_000;
  }

  /** Connects, or fails with a transient 'Unavailable' after the request timeout. */
  static async connect(options: OvsdbClientOptions): Promise<OvsdbClient> {
    const client = new OvsdbClient(options);
    client.on('error', () => undefined);
    client.dial();
    try {
      await client.whenConnected(Date.now() + client.requestTimeoutMs);
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** One JSON-RPC request; waits for a connection first (within the same timeout). */
  async request(method: string, params: unknown[], options: RequestOptions = {}): Promise<unknown> {
    const deadline = Date.now() + (options.timeoutMs ?? this.requestTimeoutMs);
    await this.whenConnected(deadline);
    return this.send(method, params, Math.max(1, deadline - Date.now()));
  }

  /**
   * Runs the operations as one transaction. Any operation's error, or the commit's, fails the whole
   * call with OvsdbOperationError (nothing was committed). Updates, mutates and deletes that must
   * match a row (the default) are guarded server side, so matching nothing aborts the transaction.
   */
  async transact(db: string, operations: Operation[], options: RequestOptions = {}): Promise<OperationResult[]> {
    const wire: unknown[] = [];
    const origin: Array<{ index: number; guard: boolean }> = [];
    operations.forEach((operation, index) => {
      if ((operation.op === 'update' || operation.op === 'mutate' || operation.op === 'delete') && operation.mustMatch !== false) {
        wire.push(assertSomeRow(operation.table, operation.where));
        origin.push({ index, guard: true });
      }
      const { mustMatch: _ignored, ...sent } = operation as Operation & { mustMatch?: boolean };
      wire.push(sent);
      origin.push({ index, guard: false });
    });
    const raw = await this.request('transact', [db, ...wire], options);
    if (!Array.isArray(raw)) throw new OvsdbOperationError('malformed reply', JSON.stringify(raw), null, undefined);
    raw.forEach((result: OperationResult | null, k) => {
      if (!result || typeof result.error !== 'string') return;
      const from = origin[k];
      const operation = from ? operations[from.index] : undefined;
      const table = operation && 'table' in operation ? operation.table : undefined;
      if (from?.guard && operation && 'where' in operation) {
        throw new OvsdbOperationError(result.error, `no ${table} row matches ${JSON.stringify(operation.where)}`, from.index, table);
      }
      throw new OvsdbOperationError(result.error, result.details, from ? from.index : null, table);
    });
    if (raw.length < wire.length) throw new OvsdbOperationError('malformed reply', `${raw.length} results for ${wire.length} operations`, null, undefined);
    const results = raw.filter((_, k) => !origin[k]!.guard) as OperationResult[];
    results.forEach((result, index) => {
      const operation = operations[index]!;
      const guarded = (operation.op === 'update' || operation.op === 'mutate' || operation.op === 'delete') && operation.mustMatch !== false;
      // The guard makes this unreachable unless the server disagrees with itself; say so loudly.
      if (guarded && result.count === 0) throw new OvsdbOperationError('matched no row', 'after the guard passed', index, operation.table);
    });
    return results;
  }

  /**
   * Subscribes to changes (RFC 7047 `monitor`). The listener gets the current rows at once and again
   * after every reconnect (`initial` = true), and each change as it commits.
   */
  async monitor(db: string, requests: Record<string, MonitorRequest>, listener: MonitorListener): Promise<OvsdbMonitor> {
    const id = `vp-monitor-${this.nextMonitor++}`;
    const entry: MonitorEntry = { db, requests, listener };
    this.monitors.set(id, entry);
    try {
      listener((await this.request('monitor', [db, id, requests])) as TableUpdates, true);
    } catch (error) {
      this.monitors.delete(id);
      throw error;
    }
    return {
      id,
      cancel: async () => {
        if (!this.monitors.delete(id) || !this.connected) return;
        await this.request('monitor_cancel', [id]).catch(() => undefined);
      },
    };
  }

  /** Ends the connection for good; requests in flight fail with a transient 'ConnectionClosed'. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    clearInterval(this.probeTimer);
    this.socket?.destroy();
    this.failPending(new TransientAdapterError('ConnectionClosed', `OVSDB client for ${formatOvsdbEndpoint(this.endpoint)} was closed`));
    for (const wake of this.connectedWaiters) wake();
    this.connectedWaiters.clear();
  }

  private dial(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    openOvsdbSocket(this.endpoint, this.options.tls).then(
      (socket) => this.adopt(socket),
      (error: Error) => this.scheduleReconnect(error),
    );
  }

  private adopt(socket: Socket): void {
    if (this.state === 'closed') {
      socket.destroy();
      return;
    }
    this.socket = socket;
    this.framer.reset();
    this.attempt = 0;
    this.lastConnectError = undefined;
    this.state = 'connected';
    this.connections += 1;
    this.lastMessageAt = Date.now();
    socket.setEncoding('utf8');
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.lost(socket, 'connection closed'));
    this.startProbe();
    this.emit('connected', this.connections);
    for (const wake of this.connectedWaiters) wake();
    this.connectedWaiters.clear();
    if (this.connections > 1) void this.resubscribe();
  }

  private async resubscribe(): Promise<void> {
    let count = 0;
    for (const [id, entry] of [...this.monitors]) {
      try {
        const initial = (await this.send('monitor', [entry.db, id, entry.requests], this.requestTimeoutMs)) as TableUpdates;
        if (this.monitors.get(id) === entry) entry.listener(initial, true);
        count += 1;
      } catch (error) {
        this.emit('monitorError', error);
      }
    }
    this.emit('resubscribed', count);
  }

  private lost(socket: Socket, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    clearInterval(this.probeTimer);
    this.failPending(new TransientAdapterError('ConnectionLost', `OVSDB connection to ${formatOvsdbEndpoint(this.endpoint)} lost (${reason}); the outcome of requests in flight is unknown`));
    if (this.state === 'closed') return;
    this.emit('disconnected', reason);
    this.scheduleReconnect(new Error(reason));
  }

  private scheduleReconnect(error: Error): void {
    if (this.state === 'closed') return;
    this.lastConnectError = error;
    this.state = 'connecting';
    const ceiling = Math.min(this.backoff.max, this.backoff.initial * 2 ** this.attempt);
    this.attempt += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.reconnectTimer = setTimeout(() => this.dial(), delay);
    this.reconnectTimer.unref();
  }

  private whenConnected(deadline: number): Promise<void> {
    if (this.state === 'connected') return Promise.resolve();
    if (this.state === 'closed') return Promise.reject(new TransientAdapterError('ConnectionClosed', 'OVSDB client is closed'));
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.state === 'connected') resolve();
        else reject(new TransientAdapterError('ConnectionClosed', 'OVSDB client is closed'));
      };
      const timer = setTimeout(() => {
        this.connectedWaiters.delete(wake);
        const why = this.lastConnectError ? ` (last attempt: ${this.lastConnectError.message})` : '';
        reject(new TransientAdapterError('Unavailable', `no connection to OVSDB at ${formatOvsdbEndpoint(this.endpoint)}${why}`));
      }, Math.max(0, deadline - Date.now()));
      this.connectedWaiters.add(wake);
    });
  }

  private send(method: string, params: unknown[], timeoutMs: number): Promise<unknown> {
    const socket = this.socket;
    if (!socket || this.state !== 'connected') {
      return Promise.reject(new TransientAdapterError('ConnectionLost', `OVSDB connection to ${formatOvsdbEndpoint(this.endpoint)} is down`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TransientAdapterError('Timeout', `OVSDB ${method} got no reply within ${timeoutMs} ms; its outcome is unknown`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      socket.write(JSON.stringify({ id, method, params }));
    });
  }

  private receive(chunk: string): void {
    this.lastMessageAt = Date.now();
    let messages: unknown[];
    try {
      messages = this.framer.push(chunk);
    } catch (error) {
      this.socket?.destroy(error as Error);
      return;
    }
    for (const message of messages) this.dispatch(message as RpcMessage);
  }

  private dispatch(message: RpcMessage): void {
    if (typeof message.method === 'string') {
      if (message.method === 'echo' && message.id !== null && message.id !== undefined) {
        this.socket?.write(JSON.stringify({ id: message.id, result: message.params ?? [], error: null }));
      } else if (message.method === 'update' && Array.isArray(message.params)) {
        const entry = this.monitors.get(String(message.params[0]));
        try {
          entry?.listener(message.params[1] as TableUpdates, false);
        } catch (error) {
          this.emit('monitorError', error);
        }
      }
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return; // a reply to a request that already timed out
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.error !== null && message.error !== undefined) pending.reject(new OvsdbRpcError(pending.method, message.error));
    else pending.resolve(message.result);
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }

  private startProbe(): void {
    clearInterval(this.probeTimer);
    if (this.probeIntervalMs <= 0) return;
    this.probeTimer = setInterval(() => {
      if (this.probing || Date.now() - this.lastMessageAt < this.probeIntervalMs) return;
      this.probing = true;
      const socket = this.socket;
      this.send('echo', ['vp-probe'], this.probeIntervalMs)
        .catch(() => {
          if (this.socket === socket) socket?.destroy();
        })
        .finally(() => {
          this.probing = false;
        });
    }, Math.max(10, Math.floor(this.probeIntervalMs / 2)));
    this.probeTimer.unref();
  }
}

interface RpcMessage {
  id?: unknown;
  method?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
}
