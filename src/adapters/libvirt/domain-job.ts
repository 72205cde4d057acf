import { PermanentAdapterError } from '../adapter-errors.js';
import type { MigrationJob } from './hypervisor.port.js';

/**
 * vshPrettyCapacity's units (libvirt's tools/vsh.c): a byte count below 1024 of the next unit is
 * printed in this one, with three decimals ("1.500 GiB", "512.000 MiB", "0.000 B").
 */
const UNIT_BYTES: Readonly<Record<string, number>> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
  EiB: 1024 ** 6,
};

/**
 * `virsh domjobinfo` (virsh 9.0, C locale) as the migration job it describes. The output is
 * `Key: value` lines padded to 17 columns:
 *
 *   Job type:         Unbounded
 *   Operation:        Outgoing migration
 *   Time elapsed:     4213         ms
 *   Data processed:   1.022 GiB
 *   Memory processed: 1.018 GiB
 *   Memory remaining: 2.953 GiB
 *   Memory total:     4.009 GiB
 *   Memory bandwidth: 247.637 MiB/s
 *   ...
 *
 * "Job type: None" (no job), a job that is not an outgoing migration (a save, a dump, the target's
 * incoming side) or one without memory figures (virsh prints them only when one is non-zero) is
 * null. Sizes are vshPrettyCapacity's, so the bytes are exact to the printed three decimals of
 * their unit (under 0.05% of the value).
 */
export function parseDomjobinfo(text: string): MigrationJob | null {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const type = fields.get('Job type');
  if (type === undefined) throw new PermanentAdapterError('LibvirtError', `virsh domjobinfo printed no job type: "${text.trim().slice(0, 200)}"`);
  if (type !== 'Bounded' && type !== 'Unbounded') return null;
  // virsh before 4.x printed no Operation line; then a running job with memory figures is a migration.
  const operation = fields.get('Operation');
  if (operation !== undefined && operation !== 'Outgoing migration') return null;
  const total = fields.get('Memory total');
  if (total === undefined) return null;
  return {
    memoryTotalBytes: capacityBytes(total, 'Memory total'),
    memoryProcessedBytes: capacityBytes(fields.get('Memory processed'), 'Memory processed'),
    memoryRemainingBytes: capacityBytes(fields.get('Memory remaining'), 'Memory remaining'),
  };
}

/** "1.500 GiB" → 1610612736. */
export function capacityBytes(text: string | undefined, field: string): number {
  const match = /^(\d+(?:\.\d+)?) ([A-Za-z]+)$/.exec(text ?? '');
  const factor = match ? UNIT_BYTES[match[2]!] : undefined;
  if (!match || factor === undefined) throw new PermanentAdapterError('LibvirtError', `virsh domjobinfo ${field} is not a size (got "${text}")`);
  return Math.round(Number(match[1]) * factor);
}
