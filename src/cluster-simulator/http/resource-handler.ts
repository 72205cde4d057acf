import { ApiError, badRequest, methodNotAllowed, namespaceNotFound } from '../api-errors.js';
import { apiVersionOf, type ResourceType } from '../resources.js';
import type { KubeObject } from '../store/kube-object.js';
import type { ResourceService } from '../store/resource-service.js';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.js';
import type { WatchHandler } from './watch-handler.js';
import { sendJson, type ApiRequest } from './http-types.js';

type ResourcePath = { type: ResourceType; namespace?: string; name?: string; subresource?: string; legacyWatch: boolean };

function parseBody(request: ApiRequest): unknown {
  if (request.body.trim() === '') return undefined;
  try {
    return JSON.parse(request.body);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
}

const isTrue = (value: string | null) => value === 'true' || value === '1';

/** CRUD, list and watch for every served resource, with the API server's status codes. */
export class ResourceHandler {
  constructor(private readonly service: ResourceService, private readonly watches: WatchHandler, private readonly currentRevision: () => number) {}

  handle(request: ApiRequest, path: ResourcePath): void {
    const { type, namespace, name, subresource } = path;
    const query = request.url.searchParams;
    const dryRun = query.getAll('dryRun').includes('All');
    if (subresource && !['status', 'resize'].includes(subresource)) throw methodNotAllowed();
    if (subresource === 'resize' && type.plural !== 'pods') throw methodNotAllowed();
    const sub = subresource as 'status' | 'resize' | undefined;
    const isWatch = path.legacyWatch || isTrue(query.get('watch'));
    if (type.namespaced && namespace !== undefined && type.plural !== 'namespaces' && request.method !== 'GET' && !this.service.namespaceExists(namespace) && request.method === 'POST') {
      throw namespaceNotFound(namespace);
    }
    switch (request.method) {
      case 'GET':
        if (isWatch) return this.watches.serve(request, type, namespace, name);
        if (name) return sendJson(request.response, 200, this.service.get(type, namespace, name));
        return sendJson(request.response, 200, this.list(type, namespace, query));
      case 'POST':
        if (name) throw methodNotAllowed();
        if (type.readOnly) throw methodNotAllowed();
        return sendJson(request.response, 201, this.service.create(type, namespace, parseBody(request), { dryRun }));
      case 'PUT':
        if (!name || type.readOnly) throw methodNotAllowed();
        return sendJson(request.response, 200, this.service.replace(type, namespace, name, parseBody(request), { ...(sub ? { subresource: sub } : {}), dryRun }));
      case 'PATCH': {
        if (!name || type.readOnly) throw methodNotAllowed();
        const contentType = request.headers['content-type'] ?? '';
        const existed = this.service.find(type, namespace, name) !== undefined;
        const result = this.service.patch(type, namespace, name, contentType, request.body, { ...(sub ? { subresource: sub } : {}), dryRun });
        return sendJson(request.response, existed ? 200 : 201, result);
      }
      case 'DELETE': {
        if (type.readOnly) throw methodNotAllowed();
        const options = (parseBody(request) ?? {}) as { preconditions?: { uid?: string; resourceVersion?: string }; gracePeriodSeconds?: number };
        const grace = query.get('gracePeriodSeconds') ?? options.gracePeriodSeconds;
        const deleteOptions = {
          ...(options.preconditions?.uid ? { uid: options.preconditions.uid } : {}),
          ...(options.preconditions?.resourceVersion ? { resourceVersion: options.preconditions.resourceVersion } : {}),
          ...(grace !== undefined && grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
        };
        if (!name) {
          const doomed = this.select(type, namespace, query);
          const deleted = doomed.map((o) => this.service.delete(type, o.metadata.namespace, o.metadata.name, deleteOptions));
          return sendJson(request.response, 200, this.listBody(type, deleted));
        }
        return sendJson(request.response, 200, this.service.delete(type, namespace, name, deleteOptions));
      }
      default:
        throw methodNotAllowed();
    }
  }

  private select(type: ResourceType, namespace: string | undefined, query: URLSearchParams): KubeObject[] {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'));
    return this.service.list(type, namespace).filter((o) => labels(o) && fields(o));
  }

  /** Lists answer at the current revision (resourceVersion "" / "0" / N all read the latest state); limit + continue page. */
  private list(type: ResourceType, namespace: string | undefined, query: URLSearchParams): object {
    const all = this.select(type, namespace, query);
    const limit = Number(query.get('limit') ?? 0);
    let start = 0;
    const token = query.get('continue');
    if (token) {
      try {
        start = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start: number }).start;
      } catch {
        throw badRequest('continue key is not valid');
      }
    }
    if (limit > 0 && start + limit < all.length) {
      const page = all.slice(start, start + limit);
      return this.listBody(type, page, Buffer.from(JSON.stringify({ start: start + limit })).toString('base64'), all.length - start - limit);
    }
    return this.listBody(type, all.slice(start));
  }

  private listBody(type: ResourceType, items: KubeObject[], continueToken?: string, remaining?: number): object {
    return {
      kind: type.listKind, apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(this.currentRevision()), ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}) },
      // core lists leave kind/apiVersion off their items; custom resource lists carry them
      items: type.group === '' ? items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest) : items,
    };
  }
}

export { ApiError };
