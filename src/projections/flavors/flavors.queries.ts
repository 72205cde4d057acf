import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { FLAVOR_COLUMNS, rowToFlavor, type FlavorRow, type FlavorView } from './flavor-row.js';

const SELECT = `SELECT ${FLAVOR_COLUMNS.join(', ')} FROM flavors`;

/** One flavor by id; deleted ones only when asked (Nova shows a deleted flavor to nobody by default). */
export async function getFlavor(db: SqlExecutor, id: string, options: { includeDeleted?: boolean } = {}): Promise<FlavorView | undefined> {
  const rows = await db.query<FlavorRow>(`${SELECT} WHERE id = ?`, [id]);
  const flavor = rows[0] ? rowToFlavor(rows[0]) : undefined;
  return flavor && (!flavor.deleted || options.includeDeleted) ? flavor : undefined;
}

/** The live flavor with this name, if any (Nova keeps names unique among live flavors). */
export async function findFlavorByName(db: SqlExecutor, name: string): Promise<FlavorView | undefined> {
  const rows = await db.query<FlavorRow>(`${SELECT} WHERE name = ? AND deleted = 0`, [name]);
  return rows[0] ? rowToFlavor(rows[0]) : undefined;
}

/** Nova's flavor sort keys and how to compare them; ties are broken by flavor id. */
export const FLAVOR_SORT_KEYS = {
  flavorid: (f: FlavorView) => f.id,
  id: (f: FlavorView) => f.createdAt,
  name: (f: FlavorView) => f.name,
  memory_mb: (f: FlavorView) => f.ramMb,
  root_gb: (f: FlavorView) => f.diskGb,
  ephemeral_gb: (f: FlavorView) => f.ephemeralGb,
  swap: (f: FlavorView) => f.swapMb,
  vcpus: (f: FlavorView) => f.vcpus,
  is_public: (f: FlavorView) => (f.isPublic ? 1 : 0),
  description: (f: FlavorView) => f.description ?? '',
  created_at: (f: FlavorView) => f.createdAt,
  updated_at: (f: FlavorView) => f.updatedAt,
  disabled: () => 0,
  rxtx_factor: () => 1,
  vcpu_weight: () => 0,
} satisfies Record<string, (f: FlavorView) => string | number>;

export type FlavorSortKey = keyof typeof FLAVOR_SORT_KEYS;

export interface FlavorListFilter {
  /** true: public only; false: private only; undefined: both. */
  isPublic?: boolean;
  minRamMb?: number;
  minDiskGb?: number;
  sortKey?: FlavorSortKey;
  sortDir?: 'asc' | 'desc';
  /** Paging: flavors after this flavor id in the list order (Nova's marker). */
  marker?: string;
  limit?: number;
}

/**
 * Live flavors, filtered in SQL and ordered and paged here: the catalogue is small, and ordering in
 * one place keeps text order the same on both dialects (PostgreSQL's collation is not SQLite's).
 */
export async function listFlavors(db: SqlExecutor, filter: FlavorListFilter = {}): Promise<FlavorView[]> {
  const where = ['deleted = 0'];
  const params: SqlValue[] = [];
  if (filter.isPublic !== undefined) (where.push('is_public = ?'), params.push(filter.isPublic ? 1 : 0));
  if (filter.minRamMb !== undefined) (where.push('ram_mb >= ?'), params.push(filter.minRamMb));
  if (filter.minDiskGb !== undefined) (where.push('disk_gb >= ?'), params.push(filter.minDiskGb));
  const flavors = (await db.query<FlavorRow>(`${SELECT} WHERE ${where.join(' AND ')}`, params)).map(rowToFlavor);
  const key = FLAVOR_SORT_KEYS[filter.sortKey ?? 'flavorid'];
  const sign = filter.sortDir === 'desc' ? -1 : 1;
  flavors.sort((a, b) => sign * (compare(key(a), key(b)) || compare(a.id, b.id)));
  let start = 0;
  if (filter.marker !== undefined) {
    const at = flavors.findIndex((f) => f.id === filter.marker);
    if (at < 0) throw new FlavorMarkerNotFoundError(filter.marker);
    start = at + 1;
  }
  const limit = Math.max(0, Math.min(filter.limit ?? 1000, 1000));
  return flavors.slice(start, start + limit);
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Nova answers 400 "marker [x] not found". */
export class FlavorMarkerNotFoundError extends Error {
  constructor(readonly marker: string) {
    super(`marker [${marker}] not found`);
    this.name = 'FlavorMarkerNotFoundError';
  }
}
