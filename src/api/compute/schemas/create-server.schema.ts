import { z } from 'zod';

const name = z
  .string()
  .min(1, 'Value must be 1 to 255 characters long.')
  .max(255, 'Value must be 1 to 255 characters long.')
  .refine((v) => v.trim() === v, 'Leading and trailing spaces are not allowed.')
  .refine((v) => v.trim().length > 0, 'Value must not be only white space.');

/** Nova's metadata: string keys of 1-255 and string values of at most 255 characters. */
export const metadataSchema = z.record(z.string().min(1).max(255), z.string().max(255, 'Value must be at most 255 characters long.'));

const networkEntry = z.strictObject({
  uuid: z.string().min(1).optional(),
  port: z.string().min(1).optional(),
  fixed_ip: z.string().min(1).optional(),
  tag: z.string().min(1).max(60).optional(),
});

/** min_count/max_count: Nova takes integers or their strings; only one server per request here. */
const count = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1));

/**
 * POST /servers `server` object: the fields of Nova's create schema this cloud honours. Nova's other
 * fields are named in UNSUPPORTED_CREATE_FIELDS and refused with a clear 400 rather than ignored.
 */
export const createServerFields = z.strictObject({
  name,
  flavorRef: z.union([z.string().min(1).max(255), z.number().int().nonnegative().transform(String)]),
  imageRef: z.string().max(255).optional(),
  networks: z.union([z.literal('none'), z.literal('auto'), z.array(networkEntry)]).optional(),
  key_name: z.string().min(1).max(255).nullable().optional(),
  user_data: z.string().max(65535, 'User data must be at most 65535 bytes (base64).').nullable().optional(),
  metadata: metadataSchema.optional(),
  availability_zone: z.string().min(1).max(255).optional(),
  min_count: count.optional(),
  max_count: count.optional(),
  security_groups: z.array(z.strictObject({ name: z.string().min(1).max(255) })).optional(),
  description: z.string().max(255).nullable().optional(),
});

/** Fields of Nova's create schema that this cloud cannot honour yet: refused by name. */
export const UNSUPPORTED_CREATE_FIELDS = [
  'adminPass',
  'OS-DCF:diskConfig',
  'accessIPv4',
  'accessIPv6',
  'personality',
  'block_device_mapping',
  'block_device_mapping_v2',
  'config_drive',
  'return_reservation_id',
  'tags',
  'trusted_image_certificates',
  'host',
  'hypervisor_hostname',
  'hostname',
] as const;

export const createServerSchema = z.strictObject({
  server: z.looseObject({}),
  'os:scheduler_hints': z.record(z.string(), z.unknown()).optional(),
  'OS-SCH-HNT:scheduler_hints': z.record(z.string(), z.unknown()).optional(),
});

export type CreateServerFields = z.infer<typeof createServerFields>;
