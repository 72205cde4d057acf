import type { SqlExecutor } from '../../adapters/sql/sql-database.js';

export const KEYPAIR_COLUMNS = ['user_id', 'name', 'id', 'type', 'public_key', 'fingerprint', 'created_at'] as const;

export interface KeypairView {
  userId: string;
  name: string;
  id: number;
  type: string;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
}

type KeypairRow = Record<(typeof KEYPAIR_COLUMNS)[number], unknown>;

const toView = (r: KeypairRow): KeypairView => ({
  userId: String(r.user_id),
  name: String(r.name),
  id: Number(r.id),
  type: String(r.type),
  publicKey: String(r.public_key),
  fingerprint: String(r.fingerprint),
  createdAt: String(r.created_at),
});

const SELECT = `SELECT ${KEYPAIR_COLUMNS.join(', ')} FROM keypairs`;

export async function getKeypair(db: SqlExecutor, userId: string, name: string): Promise<KeypairView | undefined> {
  const rows = await db.query<KeypairRow>(`${SELECT} WHERE user_id = ? AND name = ?`, [userId, name]);
  return rows[0] ? toView(rows[0]) : undefined;
}

/** A user's key pairs by name (Nova's order), after `marker` (a name), at most `limit`. */
export async function listKeypairs(db: SqlExecutor, userId: string, page: { marker?: string; limit?: number } = {}): Promise<KeypairView[]> {
  const rows = (await db.query<KeypairRow>(`${SELECT} WHERE user_id = ?`, [userId])).map(toView);
  // Ordered here so both dialects agree (PostgreSQL collations differ from SQLite's byte order).
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let start = 0;
  if (page.marker !== undefined) {
    const at = rows.findIndex((k) => k.name === page.marker);
    if (at < 0) throw new KeypairMarkerNotFoundError(page.marker);
    start = at + 1;
  }
  return rows.slice(start, start + Math.max(0, Math.min(page.limit ?? 1000, 1000)));
}

export class KeypairMarkerNotFoundError extends Error {
  constructor(readonly marker: string) {
    super(`marker [${marker}] not found`);
    this.name = 'KeypairMarkerNotFoundError';
  }
}

