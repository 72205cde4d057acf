import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { EVENT_STORE, READ_MODEL_DB } from '../../app/tokens.js';
import { summarizeEvent } from '../../projections/audit/event-summary.js';
import { getServer } from '../../projections/servers/servers.queries.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { parseQuery } from '../validation/parse-request.js';
import { ServerProjects, serverIdOf } from './event-visibility.js';
import { eventsQuerySchema } from './events-query.schema.js';

const KEEP_ALIVE_MS = 15_000;

/**
 * GET /events: a live stream (server-sent events) of what happens, as it is appended. A member sees
 * the events of their project's servers; admin sees everything. Resumable: each message's id is the
 * event's global position, and a client that reconnects with Last-Event-ID (or ?after=) continues
 * after it with nothing lost or repeated.
 */
@Controller()
export class EventsController {
  private readonly projects: ServerProjects;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) db: SqlDatabase,
  ) {
    this.projects = new ServerProjects(async (id) => (await getServer(db, id))?.projectId ?? null);
  }

  @Get('events')
  async stream(
    @Ctx() ctx: RequestContext,
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { after } = parseQuery(eventsQuerySchema, { ...query, ...(lastEventId && query.after === undefined ? { after: lastEventId } : {}) });
    const from = after ?? (await this.store.headPosition());
    // The response is ours from here on: Fastify must not try to send one of its own.
    reply.hijack();
    const raw = reply.raw;
    const write = (chunk: string) => {
      if (!raw.destroyed && !raw.writableEnded) raw.write(chunk);
    };
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    write(`: streaming events after position ${from}\n\n`);
    const subscription = this.store.subscribeToAll({
      after: from,
      onEvents: async (events) => {
        for (const event of events) {
          if (await this.visible(ctx, event)) write(message(event));
        }
      },
      onError: () => raw.end(),
    });
    const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    raw.on('close', () => {
      clearInterval(keepAlive);
      void subscription.stop();
    });
  }

  private async visible(ctx: RequestContext, event: RecordedEvent): Promise<boolean> {
    if (ctx.isAdmin) return true;
    return (await this.projects.projectOf(event)) === ctx.projectId;
  }
}

function message(event: RecordedEvent): string {
  const data = {
    position: event.position,
    event_id: event.id,
    type: event.type,
    stream_id: event.streamId,
    server_id: serverIdOf(event),
    occurred_at: event.occurredAt,
    request_id: event.metadata.requestId,
    user_id: event.metadata.actor.userId,
    summary: summarizeEvent(event),
  };
  return `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}
