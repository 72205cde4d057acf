import { z } from 'zod';

/** GET /events: where to resume (a global position, as the stream's message ids). */
export const eventsQuerySchema = z.object({ after: z.coerce.number().int().min(0).optional() }).strict();
