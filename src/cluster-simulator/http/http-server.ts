import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, pathNotFound, unauthorized } from '../api-errors.js';
import { handleControl } from '../control/control-routes.js';
import { defaultReason, type FaultRules, type RequestFacts, type Verb } from '../control/fault-rules.js';
import type { RequestLog } from '../control/request-log.js';
import type { SimulatorControl } from '../control/simulator-control.js';
import { parseApiPath, type ApiPath } from './api-path.js';
import { discovery } from './discovery.js';
import { sendJson, type ApiRequest } from './http-types.js';
import type { ResourceHandler } from './resource-handler.js';

export interface HttpServerParts {
  token: string;
  control: SimulatorControl;
  faults: FaultRules;
  log: RequestLog;
  resources: ResourceHandler;
  actions(request: ApiRequest, path: Extract<ApiPath, { kind: 'action' }>): void;
  exec(request: IncomingMessage, socket: Duplex, head: Buffer, path: Extract<ApiPath, { kind: 'resource' }>, url: URL): void;
}

function verbOf(method: string, path: ApiPath, url: URL): Verb {
  if (path.kind !== 'resource') return 'update';
  const watch = path.legacyWatch || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  switch (method) {
    case 'GET': return watch ? 'watch' : path.name ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    default: return path.name ? 'delete' : 'deletecollection';
  }
}

function factsOf(method: string, path: ApiPath, url: URL): RequestFacts | undefined {
  if (path.kind === 'resource') {
    return {
      verb: verbOf(method, path, url), resource: path.subresource ? `${path.type.plural}/${path.subresource}` : path.type.plural,
      ...(path.namespace !== undefined ? { namespace: path.namespace } : {}), ...(path.name !== undefined ? { name: path.name } : {}),
    };
  }
  if (path.kind === 'action') return { verb: 'update', resource: `${path.plural}/${path.action}`, namespace: path.namespace, name: path.name };
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The simulator's HTTP front: bearer-token auth, the request log, armed faults (fail, delay,
 * unreachable), then discovery, resources, KubeVirt actions, exec upgrades and the control API.
 */
export class SimulatorHttpServer {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private unreachableUntil = 0;

  constructor(private readonly parts: HttpServerParts, private readonly serverAddress: () => string) {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (socket) => {
      if (Date.now() < this.unreachableUntil) return socket.destroy();
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  makeUnreachable(durationMs: number): void {
    this.unreachableUntil = Date.now() + durationMs;
    for (const socket of this.sockets) socket.destroy();
  }

  closeAllConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${this.parts.token}`;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://simulator');
    const request: ApiRequest = { method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), raw: req, response: res };
    try {
      if (url.pathname.startsWith('/simulator/v1/')) return handleControl(request, this.parts.control);
      if (['/healthz', '/readyz', '/livez'].includes(url.pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end('ok');
      }
      this.parts.log.record(request.method, `${url.pathname}${url.search}`, req.headers['content-type'], request.body);
      if (!this.authorized(req)) throw unauthorized();
      const path = parseApiPath(url.pathname);
      await this.applyFaults(request.method, path, url);
      switch (path.kind) {
        case 'discovery': {
          const doc = discovery(url.pathname, this.serverAddress());
          if (!doc) throw pathNotFound();
          return sendJson(res, 200, doc);
        }
        case 'resource':
          if (path.subresource === 'exec') throw new ApiError(400, 'BadRequest', 'Upgrade request required');
          return this.parts.resources.handle(request, path);
        case 'action': return this.parts.actions(request, path);
        default: throw pathNotFound();
      }
    } catch (error) {
      this.fail(res, error);
    }
  }

  private async applyFaults(method: string, path: ApiPath, url: URL): Promise<void> {
    const facts = factsOf(method, path, url);
    if (!facts) return;
    const delay = this.parts.faults.takeDelay(facts);
    if (delay) await sleep(delay.delayMs);
    const failure = this.parts.faults.takeFailure(facts);
    if (failure) {
      const status = failure.status ?? 500;
      throw new ApiError(status, failure.reason ?? defaultReason(status), failure.message ?? `simulated ${status} for ${facts.verb} ${facts.resource}`);
    }
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof ApiError) return sendJson(res, error.code, error.toStatus());
    sendJson(res, 500, new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`).toStatus());
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const reject = (error: ApiError) => {
      const text = JSON.stringify(error.toStatus());
      socket.end(`HTTP/1.1 ${error.code} ${error.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    this.parts.log.record(req.method ?? 'GET', `${url.pathname}${url.search}`, req.headers['content-type'], '');
    if (!this.authorized(req)) return reject(unauthorized());
    const path = parseApiPath(url.pathname);
    if (path.kind !== 'resource' || path.subresource !== 'exec' || path.type.plural !== 'pods') return reject(pathNotFound());
    const facts = factsOf('POST', path, url)!;
    void (async () => {
      const delay = this.parts.faults.takeDelay(facts);
      if (delay) await sleep(delay.delayMs);
      const failure = this.parts.faults.takeFailure(facts);
      if (failure) {
        const status = failure.status ?? 500;
        return reject(new ApiError(status, failure.reason ?? defaultReason(status), failure.message ?? `simulated ${status} for exec`));
      }
      try {
        this.parts.exec(req, socket, head, path, url);
      } catch (error) {
        reject(error instanceof ApiError ? error : new ApiError(500, 'InternalError', (error as Error).message));
      }
    })();
  }
}
