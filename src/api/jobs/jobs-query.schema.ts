import { z } from 'zod';
import { JOB_STATES } from '../../adapters/queue/job-queue.port.js';
import { QUEUE_NAMES } from '../../adapters/queue/queue-name.js';

/** GET /jobs query parameters; `state` may repeat or be comma separated. */
export const jobsQuerySchema = z
  .object({
    server_id: z.string().min(1).max(255).optional(),
    queue: z.enum(QUEUE_NAMES).optional(),
    state: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
      .pipe(z.array(z.enum(JOB_STATES as [string, ...string[]])))
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();
