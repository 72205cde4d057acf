import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

/** GET /audit/v1/events query parameters. */
export const auditQuerySchema = z
  .object({
    server_id: z.string().min(1).max(255).optional(),
    user_id: z.string().min(1).max(255).optional(),
    project_id: z.string().min(1).max(255).optional(),
    action: z.string().min(1).max(255).optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** GET /audit/v1/servers/{id}/state query: the instant to look back to. */
export const stateAtQuerySchema = z.object({ at: instant }).strict();
