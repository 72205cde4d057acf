import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';

/** The server an event is about, for vm- streams. */
export function serverIdOf(event: RecordedEvent): string | null {
  return event.streamId.startsWith('vm-') ? event.streamId.slice(3) : null;
}

/**
 * Remembers which project each server belongs to, so a live stream can filter without a query per
 * event: VMCreated says it; for servers created before the stream started, `lookup` asks the read
 * model once. Bounded: the oldest entries go first.
 */
export class ServerProjects {
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly lookup: (serverId: string) => Promise<string | null>,
    private readonly max = 50_000,
  ) {}

  async projectOf(event: RecordedEvent): Promise<string | null> {
    const serverId = serverIdOf(event);
    if (!serverId) return null;
    if (event.type === 'VMCreated') {
      const projectId = (event.data as { projectId?: string }).projectId ?? null;
      this.remember(serverId, projectId);
      return projectId;
    }
    if (this.known.has(serverId)) return this.known.get(serverId)!;
    const projectId = await this.lookup(serverId);
    this.remember(serverId, projectId);
    return projectId;
  }

  private remember(serverId: string, projectId: string | null): void {
    this.known.set(serverId, projectId);
    if (this.known.size > this.max) this.known.delete(this.known.keys().next().value!);
  }
}
