import type { ResourceType } from '../resources.js';
import { cloneObject, type KubeObject } from './kube-object.js';
import { resourceKey, type StoreChange } from './object-store.js';
import type { Selector } from './selectors.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

export interface WatchFilter {
  resource: ResourceType;
  namespace?: string;
  labels: Selector;
  fields: Selector;
}

interface Subscriber {
  filter: WatchFilter;
  send(event: WatchEvent): void;
  close(): void;
}

/** Thrown when a watch asks to resume from before the retained history (the server's 410 Expired). */
export class ResourceVersionTooOld extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/**
 * Fans store changes out to watch streams and keeps the last `historySize` changes, so a client
 * can resume from a resourceVersion it saw; older than that is 410 Gone, like the watch cache.
 */
export class WatchHub {
  private readonly history: StoreChange[] = [];
  private readonly subscribers = new Set<Subscriber>();
  /** The first revision whose change may be missing from history (everything after it is kept). */
  private compactedThrough = 0;

  constructor(private historySize: number) {}

  setHistorySize(size: number): void {
    this.historySize = size;
    this.trim();
  }

  /** Called after a restart from a state file: nothing before `revision` can be replayed. */
  markCompacted(revision: number): void {
    this.compactedThrough = Math.max(this.compactedThrough, revision);
  }

  record(change: StoreChange): void {
    this.history.push(change);
    this.trim();
    for (const subscriber of [...this.subscribers]) {
      const event = toEvent(change, subscriber.filter);
      if (event) subscriber.send(event);
    }
  }

  /**
   * Subscribes and returns the events to replay first: those after `fromRevision`. Throws
   * ResourceVersionTooOld when `fromRevision` precedes the retained history.
   */
  subscribe(filter: WatchFilter, fromRevision: number | null, send: (event: WatchEvent) => void, close: () => void): { replay: WatchEvent[]; unsubscribe: () => void } {
    let replay: WatchEvent[] = [];
    if (fromRevision !== null) {
      if (fromRevision < this.compactedThrough) throw new ResourceVersionTooOld(fromRevision, this.compactedThrough + 1);
      replay = this.history.filter((c) => c.revision > fromRevision).map((c) => toEvent(c, filter)).filter((e): e is WatchEvent => e !== null);
    }
    const subscriber: Subscriber = { filter, send, close };
    this.subscribers.add(subscriber);
    return { replay, unsubscribe: () => this.subscribers.delete(subscriber) };
  }

  /** Ends every open watch stream (control API: drop watches). */
  dropAll(): number {
    const all = [...this.subscribers];
    this.subscribers.clear();
    for (const s of all) s.close();
    return all.length;
  }

  get openWatches(): number {
    return this.subscribers.size;
  }

  private trim(): void {
    while (this.history.length > this.historySize) {
      const dropped = this.history.shift()!;
      this.compactedThrough = Math.max(this.compactedThrough, dropped.revision);
    }
  }
}

/**
 * The event a watcher with this filter sees: an object leaving a label selection is DELETED for it,
 * one entering is ADDED, as the real watch cache filters.
 */
function toEvent(change: StoreChange, filter: WatchFilter): WatchEvent | null {
  if (resourceKey(change.resource) !== resourceKey(filter.resource)) return null;
  const matches = (object: KubeObject | undefined) =>
    object !== undefined && (filter.namespace === undefined || object.metadata.namespace === filter.namespace) && filter.labels(object) && filter.fields(object);
  const now = matches(change.object);
  if (change.type === 'MODIFIED') {
    const before = matches(change.previous);
    if (now && before) return { type: 'MODIFIED', object: cloneObject(change.object) };
    if (now) return { type: 'ADDED', object: cloneObject(change.object) };
    if (before) return { type: 'DELETED', object: cloneObject(change.object) };
    return null;
  }
  return now ? { type: change.type, object: cloneObject(change.object) } : null;
}
