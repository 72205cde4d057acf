import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every setting the service reads, from environment variables; see the README's configuration table. */
export const configSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(8774),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    EVENT_STORE: z.enum(['sqlite', 'postgres']).default('sqlite'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
      .default('public'),
    /** Readiness fails while any projection is more than this many events behind the store's head. */
    READY_MAX_PROJECTION_LAG: z.coerce.number().int().min(0).default(10_000),
    /** How long a write waits for its projections before answering (read your writes). */
    READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
    PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1_000),
  })
  .superRefine((c, ctx) => {
    if (c.EVENT_STORE === 'postgres' && !c.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when EVENT_STORE=postgres' });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;
