import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { applyMergePatch, applyPodStrategicPatch } from './patches.js';

/** One request as the adapter sent it: what the golden fixtures hold. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  body: unknown;
}

type Obj = { metadata: Record<string, unknown> & { name: string; namespace?: string; resourceVersion?: string }; [k: string]: unknown };
type Failure = { method: string; pathPattern: RegExp; status: number; reason: string; message: string; remaining: number };
interface WatchEvent {
  rv: number;
  collection: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

const CRD_PREFIXES = ['/apis/kubevirt.io/', '/apis/cdi.kubevirt.io/', '/apis/k8s.cni.cncf.io/'];

/**
 * A small Kubernetes API server for the adapter's unit tests: it records every request, stores the
 * objects it is given (uid, resourceVersion), answers get/list/create/merge-patch/delete and the
 * KubeVirt actions (202), streams watch events after a resourceVersion, and refuses a strategic
 * merge patch on a custom resource with 415 as a real server does. Tests script failures, drop
 * watches, compact history (410) and go unreachable.
 */
export class RecordingKubeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, Obj>();
  private readonly events: WatchEvent[] = [];
  private readonly watches = new Set<{ collection: string; res: ServerResponse }>();
  private failures: Failure[] = [];
  private hooks: { method: string; pathPattern: RegExp; run: () => void }[] = [];
  private revision = 100;
  private compactedBelow = 0;
  private server: Server | null = null;
  port = 0;

  /** What a command run through the exec API does; exit code 0 unless said. */
  exec: (call: { pod: string; container: string; argv: string[]; stdin: string }) => { stdout?: string; stderr?: string; exitCode?: number } = () => ({});

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    const sockets = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false) });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', this.url);
      this.requests.push({ method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: null, body: undefined });
      sockets.handleUpgrade(req, socket, head, (ws) => this.runExec(ws, url));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  kubeconfig(): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      // Plain http, as the simulator's: loadKubeConfig must make client-node accept it.
      'clusters: [{name: test, cluster: {server: "' + this.url + '"}}]',
      'users: [{name: test, user: {token: test-token}}]',
      'contexts: [{name: test, context: {cluster: test, user: test}}]',
      'current-context: test',
    ].join('\n');
  }

  /** Closes the listener and every open connection (the API server is unreachable until start). */
  async stop(): Promise<void> {
    this.dropWatches();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Puts an object as if a controller wrote it (and emits a watch event). */
  put(path: string, object: Obj): Obj {
    const existing = this.objects.get(path);
    const stored = { ...object, metadata: { uid: randomUUID(), ...existing?.metadata, ...object.metadata, resourceVersion: String(++this.revision) } } as Obj;
    this.objects.set(path, stored);
    this.events.push({ rv: this.revision, collection: collectionOf(path), type: existing ? 'MODIFIED' : 'ADDED', object: stored });
    this.flushWatches();
    return stored;
  }

  /** Changes an object without a watch event, as a watch that missed it would see. */
  putUnseen(path: string, object: Obj): void {
    const existing = this.objects.get(path);
    this.objects.set(path, { ...object, metadata: { uid: randomUUID(), ...existing?.metadata, ...object.metadata, resourceVersion: String(++this.revision) } } as Obj);
  }

  get(path: string): Obj | undefined {
    return this.objects.get(path);
  }

  remove(path: string): void {
    const existing = this.objects.get(path);
    if (!existing) return;
    this.objects.delete(path);
    ++this.revision;
    this.events.push({ rv: this.revision, collection: collectionOf(path), type: 'DELETED', object: { ...existing, metadata: { ...existing.metadata, resourceVersion: String(this.revision) } } });
    this.flushWatches();
  }

  failNext(method: string, pathPattern: RegExp, status: number, count = 1, message = `injected ${status}`): void {
    const reason = { 409: 'Conflict', 422: 'Invalid', 500: 'InternalError', 503: 'ServiceUnavailable' }[status] ?? 'Failure';
    this.failures.push({ method, pathPattern, status, reason, message, remaining: count });
  }

  /** Runs `run` once, just before the next matching request is answered (a controller racing us). */
  beforeNext(method: string, pathPattern: RegExp, run: () => void): void {
    this.hooks.push({ method, pathPattern, run });
  }

  /** Ends every open watch stream, as a dropped connection would. */
  dropWatches(): void {
    for (const watch of this.watches) watch.res.destroy();
    this.watches.clear();
  }

  /** History before the current revision is gone: a watch from an older resourceVersion gets 410. */
  compact(): void {
    this.compactedBelow = this.revision;
    this.events.length = 0;
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  /** The exec websocket (v5.channel.k8s.io): stdin on channel 0 until the close frame, then output and status. */
  private runExec(ws: import('ws').WebSocket, url: URL): void {
    const pod = /\/pods\/([^/]+)\/exec$/.exec(url.pathname)?.[1] ?? '';
    const argv = url.searchParams.getAll('command');
    const container = url.searchParams.get('container') ?? '';
    const chunks: Buffer[] = [];
    const respond = (): void => {
      const result = this.exec({ pod, container, argv, stdin: Buffer.concat(chunks).toString('utf8') });
      if (result.stdout) ws.send(frame(1, result.stdout));
      if (result.stderr) ws.send(frame(2, result.stderr));
      const exitCode = result.exitCode ?? 0;
      const status =
        exitCode === 0
          ? { metadata: {}, status: 'Success' }
          : { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: ${exitCode}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] } };
      ws.send(frame(STATUS_CHANNEL, JSON.stringify(status)));
      ws.close();
    };
    if (url.searchParams.get('stdin') !== 'true') return respond();
    ws.on('message', (data: Buffer) => {
      if (data[0] === 255 && data[1] === 0) return respond();
      if (data[0] === 0) chunks.push(data.subarray(1));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      // keep the text
    }
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, contentType: req.headers['content-type'] ?? null, body };
    this.requests.push(record);
    const hook = this.hooks.find((h) => h.method === record.method && h.pathPattern.test(record.path));
    if (hook) {
      this.hooks = this.hooks.filter((h) => h !== hook);
      hook.run();
    }
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === record.method && f.pathPattern.test(record.path));
    if (failure) {
      failure.remaining -= 1;
      return status(res, failure.status, failure.reason, failure.message);
    }
    if (query.watch === 'true' || query.watch === '1') return this.watch(url.pathname, query, res);
    this.answer(record, res);
  }

  private answer(r: RecordedRequest, res: ServerResponse): void {
    if (r.path.startsWith('/apis/subresources.kubevirt.io/')) {
      res.writeHead(202).end();
      return;
    }
    // The resize subresource reads and writes the pod itself.
    const path = r.path.endsWith('/resize') ? r.path.slice(0, -'/resize'.length) : r.path;
    const existing = this.objects.get(path);
    switch (r.method) {
      case 'GET': {
        if (existing) return json(res, 200, existing);
        const items = [...this.objects.entries()].filter(([p]) => collectionOf(p) === path || clusterCollectionOf(p) === path).map(([, o]) => o);
        if (items.length > 0 || isCollection(path)) return json(res, 200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: this.resourceVersion }, items });
        return status(res, 404, 'NotFound', `${path} not found`);
      }
      case 'POST': {
        const object = r.body as Obj;
        const itemPath = `${path}/${object.metadata.name}`;
        if (this.objects.has(itemPath)) return status(res, 409, 'AlreadyExists', `${object.metadata.name} already exists`);
        const namespace = namespaceOf(path);
        return json(res, 201, this.put(itemPath, { ...object, metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) } }));
      }
      case 'PATCH': {
        const target = path;
        const current = this.objects.get(target);
        if (!current) return status(res, 404, 'NotFound', `${target} not found`);
        const type = r.contentType ?? '';
        if (CRD_PREFIXES.some((p) => target.startsWith(p)) && type !== 'application/merge-patch+json' && type !== 'application/json-patch+json') {
          return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
        }
        const patch = r.body as Obj;
        const wanted = patch?.metadata?.resourceVersion;
        if (wanted !== undefined && wanted !== current.metadata.resourceVersion) {
          return status(res, 409, 'Conflict', `Operation cannot be fulfilled on ${target}: the object has been modified; please apply your changes to the latest version and try again`);
        }
        const next = type === 'application/strategic-merge-patch+json' ? applyPodStrategicPatch(current, patch) : applyMergePatch(current, patch);
        return json(res, 200, this.put(target, next as Obj));
      }
      case 'DELETE':
        if (!existing) return status(res, 404, 'NotFound', `${path} not found`);
        this.remove(path);
        return json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
      default:
        return status(res, 405, 'MethodNotAllowed', r.method);
    }
  }

  private watch(path: string, query: Record<string, string>, res: ServerResponse): void {
    const from = Number(query.resourceVersion ?? '0');
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (from < this.compactedBelow) {
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${this.compactedBelow})`, reason: 'Expired', code: 410 } }) + '\n');
      return;
    }
    const watch = { collection: path, res, sentUpTo: from };
    this.watches.add(watch);
    res.on('close', () => this.watches.delete(watch));
    this.flushWatch(watch);
  }

  private flushWatches(): void {
    for (const watch of this.watches) this.flushWatch(watch as { collection: string; res: ServerResponse; sentUpTo: number });
  }

  private flushWatch(watch: { collection: string; res: ServerResponse; sentUpTo?: number }): void {
    const w = watch as { collection: string; res: ServerResponse; sentUpTo: number };
    for (const event of this.events) {
      if (event.rv <= w.sentUpTo) continue;
      if (event.collection !== w.collection && clusterCollectionOf(`${event.collection}/x`) !== w.collection) continue;
      w.res.write(JSON.stringify({ type: event.type, object: event.object }) + '\n');
      w.sentUpTo = event.rv;
    }
  }
}

const STATUS_CHANNEL = 3;

function frame(channel: number, data: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(data)]);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** ".../namespaces/ns/plural/name" -> ".../namespaces/ns/plural". */
function collectionOf(itemPath: string): string {
  return itemPath.slice(0, itemPath.lastIndexOf('/'));
}

/** The all-namespaces collection of an item: ".../namespaces/ns/plural/name" -> ".../plural". */
function clusterCollectionOf(itemPath: string): string | null {
  const match = /^(.*)\/namespaces\/[^/]+\/([^/]+)\/[^/]+$/.exec(itemPath);
  return match ? `${match[1]}/${match[2]}` : null;
}

function namespaceOf(path: string): string | null {
  return /\/namespaces\/([^/]+)\//.exec(path)?.[1] ?? null;
}

function isCollection(path: string): boolean {
  return /\/(virtualmachines|virtualmachineinstances|virtualmachineinstancemigrations|pods|nodes|secrets)$/.test(path);
}
