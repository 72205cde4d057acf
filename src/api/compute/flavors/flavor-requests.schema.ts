import { z } from 'zod';

const MAX_INT = 2_147_483_647;

/** Nova's flavor sizes: an integer, or a string of digits, within bounds. */
const size = (min: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(min).max(MAX_INT));

const NAME = /^(?! )[^\u0000-\u001f]*(?<! )$/;
const ID = /^(?! )[a-zA-Z0-9. _-]+(?<! )$/;

export const createFlavorSchema = z.object({
  flavor: z
    .object({
      name: z.string().min(1).max(255).regex(NAME, 'must not have leading or trailing spaces'),
      id: z.string().min(1).max(255).regex(ID, 'may contain letters, digits, ".", " ", "_" and "-"').nullable().optional(),
      ram: size(1),
      vcpus: size(1),
      disk: size(0),
      'OS-FLV-EXT-DATA:ephemeral': size(0).optional(),
      swap: z.union([size(0), z.literal('')]).optional(),
      rxtx_factor: z.number().positive().optional(),
      'os-flavor-access:is_public': z.boolean().optional(),
      description: z.string().max(65535).nullable().optional(),
      // virtplane's hotplug headroom (see the README); default four times the size.
      'hw:max_vcpus': size(1).optional(),
      'hw:max_ram_mb': size(1).optional(),
    })
    .strict(),
});

/** Extra spec keys as Nova allows them; values may be strings, numbers or booleans (stored as strings). */
const SPEC_KEY = /^[a-zA-Z0-9-_:. /]{1,255}$/;
const specValue = z.union([z.string().max(255), z.number(), z.boolean()]).transform(String);

export const extraSpecsSchema = z.object({
  extra_specs: z.record(z.string().regex(SPEC_KEY, 'extra spec keys are 1 to 255 of [a-zA-Z0-9-_:. /]'), specValue),
});

export const oneExtraSpecSchema = z.record(z.string().regex(SPEC_KEY), specValue);

const boolish = z.enum(['true', 'false', '1', '0', 'yes', 'no', 't', 'f', 'on', 'off', 'y', 'n', 'none']);

export const listFlavorsQuerySchema = z.object({
  minRam: z.coerce.number().int().min(0).optional(),
  minDisk: z.coerce.number().int().min(0).optional(),
  is_public: z.string().toLowerCase().pipe(boolish).optional(),
  sort_key: z
    .enum(['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus'])
    .optional(),
  sort_dir: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(0).optional(),
  marker: z.string().min(1).optional(),
});

/** Nova's is_public filter: true/false, or none for every flavor (admin). */
export function isPublicFilter(value: string | undefined): boolean | undefined {
  if (value === undefined) return true;
  if (value === 'none') return undefined;
  return ['true', '1', 'yes', 't', 'on', 'y'].includes(value);
}
