import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, pathNotFound, unauthorized } from '../api-errors.js';
import { handleControl } from '../control/control-routes.js';
import type { Effect, EffectLog } from '../control/effect-log.js';
import { defaultReason, type FailRule, type FaultRules, type RequestFacts, type Verb } from '../control/fault-rules.js';
import type { HeldRequests } from '../control/held-requests.js';
import type { RequestLog } from '../control/request-log.js';
import type { SimulatorControl } from '../control/simulator-control.js';
import { parseApiPath, type ApiPath } from './api-path.js';
import { CapturedReply } from './captured-reply.js';
import { discovery } from './discovery.js';
import { sendJson, type ApiRequest } from './http-types.js';
import type { ResourceHandler } from './resource-handler.js';

export interface HttpServerParts {
  token: string;
  control: SimulatorControl;
  faults: FaultRules;
  hangs: HeldRequests;
  effects: EffectLog;
  /** Called after an effect is recorded, before the client is answered (the state file keeps the log). */
  onEffect(): void;
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

const WRITE_VERBS: ReadonlySet<Verb> = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

function isDryRun(request: ApiRequest): boolean {
  if (request.url.searchParams.getAll('dryRun').includes('All')) return true;
  // KubeVirt's action subresources take dryRun in the body
  try {
    const body = JSON.parse(request.body) as { dryRun?: unknown };
    return Array.isArray(body?.dryRun) && body.dryRun.includes('All');
  } catch {
    return false;
  }
}

function faultError(rule: FailRule, facts: RequestFacts): ApiError {
  const status = rule.status ?? 500;
  return new ApiError(status, rule.reason ?? defaultReason(status), rule.message ?? `simulated ${status} for ${facts.verb} ${facts.resource}`);
}

/** Thrown when a held request's client went away: nothing is carried out or answered. */
class ClientGone extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The simulator's HTTP front: bearer-token auth, the request log, armed faults (delay, hang, fail,
 * unreachable), then discovery, resources, KubeVirt actions, exec upgrades and the control API.
 * A write's answer is held back until its effect is logged and the faults that act after a write
 * (fail after, drop the reply) have had their say.
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
    let clientGone = false;
    res.on('close', () => (clientGone = !res.writableFinished));
    try {
      if (url.pathname.startsWith('/simulator/v1/')) return handleControl(request, this.parts.control);
      if (['/healthz', '/readyz', '/livez'].includes(url.pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return void res.end('ok');
      }
      const logged = this.parts.log.record(request.method, `${url.pathname}${url.search}`, req.headers['content-type'], request.body);
      res.on('finish', () => (logged.status = res.statusCode));
      if (!this.authorized(req)) throw unauthorized();
      const path = parseApiPath(url.pathname);
      const facts = factsOf(request.method, path, url);
      if (facts) await this.applyFaults(facts, () => clientGone);
      if (facts && WRITE_VERBS.has(facts.verb)) return this.carryOut(request, path, facts);
      return this.dispatch(request, path);
    } catch (error) {
      if (error instanceof ClientGone) return;
      this.fail(res, error);
    }
  }

  private dispatch(request: ApiRequest, path: ApiPath): void {
    switch (path.kind) {
      case 'discovery': {
        const doc = discovery(request.url.pathname, this.serverAddress());
        if (!doc) throw pathNotFound();
        return sendJson(request.response, 200, doc);
      }
      case 'resource':
        if (path.subresource === 'exec') throw new ApiError(400, 'BadRequest', 'Upgrade request required');
        return this.parts.resources.handle(request, path);
      case 'action': return this.parts.actions(request, path);
      default: throw pathNotFound();
    }
  }

  /** A write: carried out against a held-back answer, logged as an effect when it succeeded, then answered (or not). */
  private carryOut(request: ApiRequest, path: ApiPath, facts: RequestFacts): void {
    const reply = new CapturedReply();
    this.dispatch({ ...request, response: reply.asResponse() }, path);
    if (!reply.ended) throw new Error(`no answer to ${facts.verb} ${facts.resource}`);
    if (reply.succeeded() && !isDryRun(request)) {
      const created = facts.name === undefined ? (reply.json() as { metadata?: { name?: string } } | undefined)?.metadata?.name : undefined;
      const name = facts.name ?? (facts.verb === 'deletecollection' ? undefined : created);
      this.parts.effects.record({ ...facts, verb: facts.verb as Effect['verb'], ...(name !== undefined ? { name } : {}), status: reply.status });
      this.parts.onEffect();
      const failure = this.parts.faults.takeFailure(facts, 'after');
      if (failure) throw faultError(failure, facts);
      if (this.parts.faults.takeDrop(facts)) {
        request.raw.socket.destroy();
        return;
      }
    }
    reply.sendTo(request.response);
  }

  /** Delay, hang, then a failure armed for before the request is carried out. */
  private async applyFaults(facts: RequestFacts, clientGone: () => boolean): Promise<void> {
    const delay = this.parts.faults.takeDelay(facts);
    if (delay) await sleep(delay.delayMs);
    const held = this.parts.hangs.hold(facts);
    if (held) {
      const release = await held;
      if (clientGone()) throw new ClientGone();
      if (!release.proceed) {
        const status = release.status ?? 504;
        throw new ApiError(status, defaultReason(status), release.message ?? `simulated hang of ${facts.verb} ${facts.resource} released`);
      }
    }
    const failure = this.parts.faults.takeFailure(facts);
    if (failure) throw faultError(failure, facts);
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
      try {
        await this.applyFaults(facts, () => socket.destroyed);
        this.parts.exec(req, socket, head, path, url);
      } catch (error) {
        if (error instanceof ClientGone) return;
        reject(error instanceof ApiError ? error : new ApiError(500, 'InternalError', (error as Error).message));
      }
    })();
  }
}
