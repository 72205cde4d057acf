import { badRequest, expired } from '../api-errors.js';
import { apiVersionOf, type ResourceType } from '../resources.js';
import type { ResourceService } from '../store/resource-service.js';
import { parseFieldSelector, parseLabelSelector, type Selector } from '../store/selectors.js';
import { ResourceVersionTooOld, type WatchEvent, type WatchHub } from '../store/watch-hub.js';
import type { ApiRequest } from './http-types.js';

/**
 * Watch streams: newline-delimited WatchEvents over a chunked 200 response. Without a
 * resourceVersion (or "0") the current objects come first as ADDED; with N, every change after N
 * from the retained history, or one ERROR event with a 410 Expired Status when N is too old.
 */
export class WatchHandler {
  constructor(
    private readonly service: ResourceService,
    private readonly hub: WatchHub,
    private readonly currentRevision: () => number,
    private readonly bookmarkIntervalMs: () => number,
  ) {}

  serve(request: ApiRequest, type: ResourceType, namespace: string | undefined, name: string | undefined): void {
    const query = request.url.searchParams;
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fieldSelector = parseFieldSelector(query.get('fieldSelector'));
    const fields: Selector = name ? (o) => fieldSelector(o) && (o.metadata as { name?: string }).name === name : fieldSelector;
    const rvText = query.get('resourceVersion') ?? '';
    const bookmarks = query.get('allowWatchBookmarks') === 'true';
    const sendInitialEvents = query.get('sendInitialEvents') === 'true';
    let from: number | null = null;
    if (rvText !== '' && rvText !== '0') {
      if (!/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: ${rvText}`);
      from = Number(rvText);
    }
    if (sendInitialEvents) from = null;
    const response = request.response;
    const write = (event: WatchEvent) => {
      if (!response.writableEnded) response.write(`${JSON.stringify(event)}\n`);
    };
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = () => undefined as unknown;
    const finish = () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      unsubscribe();
      if (!response.writableEnded) response.end();
    };
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    // the real server sends the headers at once: clients see the watch open before any event
    response.flushHeaders();
    let subscription;
    try {
      subscription = this.hub.subscribe({ resource: type, ...(namespace !== undefined ? { namespace } : {}), labels, fields }, from, write, finish);
    } catch (error) {
      if (error instanceof ResourceVersionTooOld) {
        write({ type: 'ERROR', object: expired(error.message).toStatus() });
        finish();
        return;
      }
      throw error;
    }
    unsubscribe = subscription.unsubscribe;
    const bookmark = (annotations?: Record<string, string>) => write({
      type: 'BOOKMARK',
      object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(this.currentRevision()), ...(annotations ? { annotations } : {}) } },
    });
    if (from === null) {
      for (const object of this.service.list(type, namespace)) if (labels(object) && fields(object)) write({ type: 'ADDED', object });
      if (sendInitialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else {
      for (const event of subscription.replay) write(event);
    }
    if (bookmarks) timers.push(setInterval(() => bookmark(), this.bookmarkIntervalMs()));
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
    if (timeoutSeconds > 0) timers.push(setTimeout(finish, timeoutSeconds * 1000));
    request.raw.on('close', finish);
    response.on('close', finish);
  }
}
