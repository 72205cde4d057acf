import { z } from 'zod';

/** Attributes Glance computes itself: a create that names one is refused with 403. */
export const READ_ONLY_ATTRIBUTES = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
  'self',
  'file',
  'schema',
  'direct_url',
  'locations',
] as const;

const RESERVED = new Set<string>(['id', 'name', 'visibility', 'container_format', 'disk_format', 'min_disk', 'min_ram', 'protected', 'tags', 'os_hidden', 'owner']);

const whole = z.number().int().min(0).max(2_147_483_647);

export const createImageSchema = z
  .object({
    id: z.string().uuid().optional(),
    name: z.string().max(255).nullable().optional(),
    visibility: z.enum(['public', 'private', 'shared', 'community']).optional(),
    container_format: z.literal('bare', { message: "container_format must be 'bare' (the registry holds the disk itself)" }),
    disk_format: z.enum(['qcow2', 'raw']),
    min_disk: whole.optional(),
    min_ram: whole.optional(),
    protected: z.boolean().optional(),
    os_hidden: z.literal(false).optional(),
    tags: z.array(z.string().min(1).max(255)).max(128).optional(),
    owner: z.string().min(1).max(255).nullable().optional(),
    virtplane_registry_ref: z.string().min(1).max(1024),
  })
  .catchall(z.string().max(65535));

/** Free-form properties of a create body (everything that is not a known attribute). */
export function extraProperties(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).filter(([k, v]) => !RESERVED.has(k) && k !== 'virtplane_registry_ref' && typeof v === 'string'),
  ) as Record<string, string>;
}

export const listImagesQuerySchema = z.object({
  limit: z.coerce.number().int().min(0).max(1_000_000).optional(),
  marker: z.string().min(1).optional(),
  name: z.string().optional(),
  owner: z.string().optional(),
  visibility: z.enum(['public', 'private', 'shared', 'community', 'all']).optional(),
  status: z.string().optional(),
  disk_format: z.string().optional(),
  container_format: z.string().optional(),
  sort_key: z.enum(['name', 'created_at', 'updated_at', 'id', 'min_disk', 'min_ram', 'disk_format', 'container_format', 'visibility', 'owner']).optional(),
  sort_dir: z.enum(['asc', 'desc']).optional(),
});
