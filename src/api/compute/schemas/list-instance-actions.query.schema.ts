import { z } from 'zod';

const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Value must be an ISO 8601 date-time.')
  .transform((v) => new Date(v).toISOString());

/** GET /servers/{id}/os-instance-actions (2.58+: limit, marker, changes-since; 2.66+: changes-before). */
export const listInstanceActionsQuerySchema = z.strictObject({
  limit: z.string().regex(/^\d+$/, 'limit must be an integer greater than or equal to 0').transform(Number).optional(),
  marker: z.string().min(1).optional(),
  'changes-since': instant.optional(),
  'changes-before': instant.optional(),
});
