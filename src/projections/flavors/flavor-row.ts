import type { SqlValue } from '../../adapters/sql/sql-database.js';
import type { FlavorSnapshot } from '../../domain/flavor/flavor-snapshot.js';

/** A flavor as the catalogue read model keeps it: the sizes and headroom a VM snapshots, and the catalogue fields. */
export interface FlavorView extends FlavorSnapshot {
  isPublic: boolean;
  description: string | null;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
}

export const FLAVOR_COLUMNS = [
  'id',
  'name',
  'vcpus',
  'ram_mb',
  'disk_gb',
  'ephemeral_gb',
  'swap_mb',
  'max_vcpus',
  'max_ram_mb',
  'extra_specs',
  'is_public',
  'description',
  'deleted',
  'created_at',
  'updated_at',
  'position',
] as const;

export type FlavorRow = Record<(typeof FLAVOR_COLUMNS)[number], unknown>;

export function flavorToRow(view: FlavorView, position: number): SqlValue[] {
  return [
    view.id,
    view.name,
    view.vcpus,
    view.ramMb,
    view.diskGb,
    view.ephemeralGb,
    view.swapMb,
    view.maxVcpus,
    view.maxRamMb,
    JSON.stringify(view.extraSpecs),
    view.isPublic ? 1 : 0,
    view.description,
    view.deleted ? 1 : 0,
    view.createdAt,
    view.updatedAt,
    position,
  ];
}

export function rowToFlavor(row: FlavorRow): FlavorView {
  return {
    id: String(row.id),
    name: String(row.name),
    vcpus: Number(row.vcpus),
    ramMb: Number(row.ram_mb),
    diskGb: Number(row.disk_gb),
    ephemeralGb: Number(row.ephemeral_gb),
    swapMb: Number(row.swap_mb),
    maxVcpus: Number(row.max_vcpus),
    maxRamMb: Number(row.max_ram_mb),
    extraSpecs: JSON.parse(String(row.extra_specs)) as Record<string, string>,
    isPublic: Number(row.is_public) === 1,
    description: row.description === null || row.description === undefined ? null : String(row.description),
    deleted: Number(row.deleted) === 1,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}
