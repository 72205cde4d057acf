import type { Redis } from 'ioredis';
import { isQueueName, type QueueName } from './queue-name.js';

export interface ServerJobEntry {
  queue: QueueName;
  /** The id as stored in BullMQ (encoded). */
  bullId: string;
}

/** Newest jobs kept per server; a server with more has its oldest entries dropped from the listing. */
export const MAX_JOBS_PER_SERVER = 1000;

/**
 * The jobs of one server (VM), so the API can list them without scanning every job: a sorted set
 * `<prefix>:server-jobs:<serverId>` of `<queue>/<bullId>` scored by enqueue time. Trimmed to the newest
 * MAX_JOBS_PER_SERVER and expiring with the failed-job retention, so it never outlives what it points
 * at by much; entries whose job is gone are skipped by readers.
 */
export class ServerJobIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  key(serverId: string): string {
    return `${this.prefix}:server-jobs:${serverId}`;
  }

  async add(entries: readonly (ServerJobEntry & { serverId: string })[], now = Date.now()): Promise<void> {
    const members = new Map<string, string[]>();
    for (const e of entries) {
      const list = members.get(e.serverId);
      if (list) list.push(now.toString(), `${e.queue}/${e.bullId}`);
      else members.set(e.serverId, [now.toString(), `${e.queue}/${e.bullId}`]);
    }
    // A pipeline, not MULTI: each server's three commands stand alone, and a reader skips stale entries.
    const pipeline = this.redis.pipeline();
    for (const [serverId, scoredMembers] of members) {
      const key = this.key(serverId);
      // NX: a duplicate enqueue keeps the original position.
      pipeline.zadd(key, 'NX', ...scoredMembers);
      pipeline.zremrangebyrank(key, 0, -(MAX_JOBS_PER_SERVER + 1));
      pipeline.pexpire(key, this.ttlMs);
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Newest first. */
  async list(serverId: string): Promise<ServerJobEntry[]> {
    const members = await this.redis.zrevrange(this.key(serverId), 0, MAX_JOBS_PER_SERVER - 1);
    return members.flatMap((member) => {
      const slash = member.indexOf('/');
      const queue = member.slice(0, slash);
      return isQueueName(queue) ? [{ queue, bullId: member.slice(slash + 1) }] : [];
    });
  }

  async remove(serverId: string, queue: QueueName, bullId: string): Promise<void> {
    await this.redis.zrem(this.key(serverId), `${queue}/${bullId}`);
  }
}
