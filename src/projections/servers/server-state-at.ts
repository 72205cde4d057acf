import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { vmStreamId } from '../../domain/virtual-machine/virtual-machine.events.js';
import { evolveServerView, type ServerView } from './server-view.js';

/**
 * What a server looked like at instant `at`: its stream's events that occurred at or before it,
 * folded with the same function as the servers read model. undefined if it did not exist yet.
 */
export async function serverStateAt(store: EventStore, vmId: string, at: string | Date): Promise<ServerView | undefined> {
  const limit = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(limit)) throw new RangeError(`Not an instant: ${String(at)}`);
  const events = await store.readStream(vmStreamId(vmId));
  let view: ServerView | undefined;
  for (const event of events) {
    if (Date.parse(event.occurredAt) > limit) break;
    view = evolveServerView(view, event);
  }
  return view;
}
