import { z } from 'zod';

const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Value must be an ISO 8601 date-time.')
  .transform((v) => new Date(v).toISOString());

const limit = z
  .string()
  .regex(/^\d+$/, 'limit must be an integer greater than or equal to 0')
  .transform(Number);

/**
 * GET /servers and /servers/detail query parameters this cloud filters by. Nova's other filters
 * (image, flavor, ip, sort keys, ...) are refused with 400 rather than silently ignored.
 */
export const listServersQuerySchema = z.strictObject({
  name: z.string().optional(),
  status: z.string().optional(),
  'changes-since': instant.optional(),
  'changes-before': instant.optional(),
  all_tenants: z.string().optional(),
  project_id: z.string().optional(),
  tenant_id: z.string().optional(),
  user_id: z.string().optional(),
  limit: limit.optional(),
  marker: z.string().min(1).optional(),
});

export type ListServersQuery = z.infer<typeof listServersQuerySchema>;
