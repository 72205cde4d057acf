import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { ImageData, ImageVisibility } from '../../domain/image/image.events.js';

export const IMAGE_COLUMNS = [
  'id',
  'name',
  'owner',
  'visibility',
  'container_format',
  'disk_format',
  'min_disk',
  'min_ram',
  'protected',
  'tags',
  'registry_ref',
  'properties',
  'created_at',
  'updated_at',
  'position',
] as const;

type ImageRow = Record<(typeof IMAGE_COLUMNS)[number], unknown>;

export interface ImageView extends ImageData {
  createdAt: string;
  updatedAt: string;
}

export function imageToRow(image: ImageData, at: string, position: number): SqlValue[] {
  return [
    image.id,
    image.name,
    image.owner,
    image.visibility,
    image.containerFormat,
    image.diskFormat,
    image.minDiskGb,
    image.minRamMb,
    image.protected ? 1 : 0,
    JSON.stringify(image.tags),
    image.registryRef,
    JSON.stringify(image.properties),
    at,
    at,
    position,
  ];
}

const toView = (r: ImageRow): ImageView => ({
  id: String(r.id),
  name: String(r.name),
  owner: r.owner === null || r.owner === undefined ? null : String(r.owner),
  visibility: String(r.visibility) as ImageVisibility,
  containerFormat: 'bare',
  diskFormat: String(r.disk_format) as ImageData['diskFormat'],
  minDiskGb: Number(r.min_disk),
  minRamMb: Number(r.min_ram),
  protected: Number(r.protected) === 1,
  tags: JSON.parse(String(r.tags)) as string[],
  registryRef: String(r.registry_ref),
  properties: JSON.parse(String(r.properties)) as Record<string, string>,
  createdAt: String(r.created_at),
  updatedAt: String(r.updated_at),
});

const SELECT = `SELECT ${IMAGE_COLUMNS.join(', ')} FROM images`;

export async function getImage(db: SqlExecutor, id: string): Promise<ImageView | undefined> {
  const rows = await db.query<ImageRow>(`${SELECT} WHERE id = ?`, [id]);
  return rows[0] ? toView(rows[0]) : undefined;
}

export interface ImageListFilter {
  /** Who is asking: admin sees every image; others see public ones, their project's, and community ones when asked. */
  projectId: string;
  isAdmin: boolean;
  visibility?: ImageVisibility | 'all';
  name?: string;
  owner?: string;
  diskFormat?: string;
  containerFormat?: string;
  sortKey?: 'name' | 'created_at' | 'updated_at' | 'id' | 'min_disk' | 'min_ram' | 'disk_format' | 'container_format' | 'visibility' | 'owner';
  sortDir?: 'asc' | 'desc';
  marker?: string;
  limit: number;
}

/** Whether a caller may see an image at all (Glance's default policy, without image members). */
export function canSee(image: ImageView, projectId: string, isAdmin: boolean): boolean {
  return isAdmin || image.visibility === 'public' || image.visibility === 'community' || image.owner === projectId;
}

/** Glance's list: default order created_at desc (ties by id desc), paged by an image id marker. */
export async function listImages(db: SqlExecutor, f: ImageListFilter): Promise<ImageView[]> {
  const all = (await db.query<ImageRow>(SELECT)).map(toView).filter((i) => canSee(i, f.projectId, f.isAdmin));
  const visible = all.filter((i) => {
    if (f.visibility === undefined) {
      // Glance's default list leaves others' community images out (admin sees every image).
      if (!f.isAdmin && i.visibility === 'community' && i.owner !== f.projectId) return false;
    } else if (f.visibility !== 'all' && i.visibility !== f.visibility) return false;
    if (f.name !== undefined && i.name !== f.name) return false;
    if (f.owner !== undefined && i.owner !== f.owner) return false;
    if (f.diskFormat !== undefined && i.diskFormat !== f.diskFormat) return false;
    if (f.containerFormat !== undefined && i.containerFormat !== f.containerFormat) return false;
    return true;
  });
  const key = f.sortKey ?? 'created_at';
  const value = (i: ImageView): string | number => {
    switch (key) {
      case 'name': return i.name;
      case 'created_at': return i.createdAt;
      case 'updated_at': return i.updatedAt;
      case 'id': return i.id;
      case 'min_disk': return i.minDiskGb;
      case 'min_ram': return i.minRamMb;
      case 'disk_format': return i.diskFormat;
      case 'container_format': return i.containerFormat;
      case 'visibility': return i.visibility;
      case 'owner': return i.owner ?? '';
    }
  };
  const sign = (f.sortDir ?? 'desc') === 'desc' ? -1 : 1;
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  visible.sort((a, b) => sign * (cmp(value(a), value(b)) || cmp(a.id, b.id)));
  let start = 0;
  if (f.marker !== undefined) {
    const at = visible.findIndex((i) => i.id === f.marker);
    if (at < 0) throw new ImageMarkerNotFoundError(f.marker);
    start = at + 1;
  }
  return visible.slice(start, start + f.limit);
}

export class ImageMarkerNotFoundError extends Error {
  constructor(readonly marker: string) {
    super(`Invalid marker. Image ${marker} could not be found.`);
    this.name = 'ImageMarkerNotFoundError';
  }
}
