import { z } from 'zod';
import { isAtLeast, type Microversion } from '../microversion.js';

const positiveInt = z.number().int('Value must be an integer.').min(1, 'Value must be at least 1.');

/** Ours: `{"os-hotResize": {"vcpus": N, "ram": MB}}`, either may be omitted (not both). */
export const hotResizeActionSchema = z
  .strictObject({ vcpus: positiveInt.optional(), ram: positiveInt.optional() })
  .refine((b) => b.vcpus !== undefined || b.ram !== undefined, { message: 'Give vcpus, ram or both.' });

/** Nova's parameter_types.boolean: JSON booleans and the strings oslo's bool_from_string accepts. */
const novaBoolean = z.union([
  z.boolean(),
  z.enum(['True', 'true', 'TRUE', 'False', 'false', 'FALSE', '1', '0', 'yes', 'no', 'on', 'off', 'y', 'n', 't', 'f']),
]);
const host = z.union([z.string().min(1).max(255), z.null()]);

/**
 * Nova's os-migrateLive body by microversion: 2.1 needs host, block_migration and disk_over_commit;
 * 2.25 drops disk_over_commit and allows block_migration "auto"; 2.30 adds force, 2.68 removes it.
 * block_migration is accepted and ignored: KubeVirt decides (container disks migrate as blocks).
 */
export function migrateLiveActionSchema(version: Microversion) {
  if (!isAtLeast(version, '2.25')) return z.strictObject({ host, block_migration: novaBoolean, disk_over_commit: novaBoolean });
  const base = { host, block_migration: z.union([novaBoolean, z.literal('auto')]) };
  if (isAtLeast(version, '2.30') && !isAtLeast(version, '2.68')) return z.strictObject({ ...base, force: novaBoolean.optional() });
  return z.strictObject(base);
}

/** Nova's resize: a flavorRef (id or link) and optionally the disk config. */
export const resizeActionSchema = z.strictObject({
  flavorRef: z.union([z.string().min(1).max(255), z.number().int().min(0)]).transform(String),
  'OS-DCF:diskConfig': z.enum(['AUTO', 'MANUAL']).optional(),
});
