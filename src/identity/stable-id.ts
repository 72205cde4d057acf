import { createHash } from 'node:crypto';

/**
 * A Keystone-looking id (32 hex digits) derived from a name, so seeded entities keep their ids
 * across restarts without being written down anywhere, and tokens issued before a restart still
 * name the same user and project.
 */
export function stableId(kind: string, ...parts: string[]): string {
  return createHash('sha256').update([kind, ...parts].join('\u0000')).digest('hex').slice(0, 32);
}
