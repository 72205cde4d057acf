import { z } from 'zod';

const instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Value must be an ISO 8601 date-time.')
  .transform((v) => new Date(v).toISOString());

/** GET /os-migrations: Nova's filters (hidden is accepted; this cloud has no hidden migrations). */
export const migrationsQuerySchema = z.strictObject({
  hidden: z.string().optional(),
  host: z.string().optional(),
  instance_uuid: z.string().optional(),
  source_compute: z.string().optional(),
  status: z.string().optional(),
  migration_type: z.enum(['evacuation', 'live-migration', 'migration', 'resize']).optional(),
  limit: z.string().regex(/^\d+$/, 'limit must be an integer greater than or equal to 0').transform(Number).optional(),
  marker: z.string().min(1).optional(),
  'changes-since': instant.optional(),
  'changes-before': instant.optional(),
  user_id: z.string().optional(),
  project_id: z.string().optional(),
});
