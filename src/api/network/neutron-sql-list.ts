import { NotFoundException } from '@nestjs/common';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { assertFilterable, neutronList, pageBody, PAGING, splitOnce, values, type ListSpec, type RawQuery } from './neutron-list.js';

type Item = Record<string, unknown>;

/** How a Neutron attribute is found in a column: its name and how a query value reads there. */
export interface SqlAttribute {
  column: string;
  /** 'bool': Neutron's true/1 → 1, anything else → 0. 'int': a number (a non-number matches nothing). */
  type: 'text' | 'int' | 'bool';
  /** A text value as the column holds it (e.g. vhost-user → vhostuser). */
  toColumn?(value: string): string;
  /** The column may be NULL where the body shows '' (binding:host_id). */
  nullAsEmpty?: boolean;
}

/**
 * The attributes every Neutron resource has, as every networking read model stores them
 * (tenant_id is project_id's old name; revision_number is the row's last event position).
 */
export const STANDARD_ATTRIBUTES: Readonly<Record<string, SqlAttribute>> = {
  id: { column: 'id', type: 'text' },
  name: { column: 'name', type: 'text' },
  description: { column: 'description', type: 'text' },
  project_id: { column: 'project_id', type: 'text' },
  tenant_id: { column: 'project_id', type: 'text' },
  revision_number: { column: 'position', type: 'int' },
};

export interface SqlListSpec<R> extends ListSpec {
  table: string;
  columns: readonly string[];
  /** Attributes filtered in SQL; the rest of `filterable` (derived or constant in the body) are checked on the rows SQL returns. */
  attributes: Readonly<Record<string, SqlAttribute>>;
  /** The caller's visibility as a condition (null: sees all). */
  visibility: { clause: string; params: SqlValue[] } | null;
  /** JSON text column of [{subnetId, ipAddress}] that `fixed_ips=ip_address=`/`subnet_id=` filters match in SQL. */
  fixedIpsColumn?: string;
  render(row: R): Item;
}

/**
 * Neutron's list (neutron-list.ts semantics) with the work in SQL: visibility and every filter that
 * maps onto a column are WHERE conditions, so a filtered list reads only what it shows. With the
 * default order (id) and no filter left for memory, limit and marker are SQL too (keyset on id, one
 * row more to know whether a next page exists). Otherwise the rows SQL selected are sorted and paged
 * here, by the same code as before, so both paths answer alike.
 */
export async function neutronSqlList<R extends Record<string, unknown>>(db: SqlExecutor, query: RawQuery, spec: SqlListSpec<R>): Promise<Record<string, unknown>> {
  assertFilterable(query, spec);
  const where = ['deleted = 0'];
  const params: SqlValue[] = [];
  if (spec.visibility) {
    where.push(`(${spec.visibility.clause})`);
    params.push(...spec.visibility.params);
  }
  let residual = false;
  for (const [key, raw] of Object.entries(query)) {
    if (PAGING.has(key)) continue;
    const wanted = values(raw);
    if (key === 'fixed_ips' && spec.fixedIpsColumn) {
      residual = fixedIpConditions(spec.fixedIpsColumn, wanted, where, params) || residual;
      continue;
    }
    const attribute = spec.attributes[key];
    if (!attribute) {
      residual = true;
      continue;
    }
    where.push(condition(attribute, wanted, params));
  }
  const sortKeys = values(query.sort_key);
  const limitText = values(query.limit)[0];
  const limit = limitText !== undefined && /^\d+$/.test(limitText) && Number(limitText) > 0 ? Number(limitText) : null;
  const reverse = values(query.page_reverse).some((v) => v.toLowerCase() === 'true');
  const select = `SELECT ${spec.columns.join(', ')} FROM ${spec.table}`;

  if (residual || sortKeys.length > 0 || values(query.sort_dir).length > 0 || limit === null || reverse) {
    const rows = await db.query<R>(`${select} WHERE ${where.join(' AND ')}`, params);
    return neutronList(rows.map((r) => spec.render(r)), query, spec);
  }

  const marker = values(query.marker)[0];
  const page = [...where];
  const pageParams = [...params];
  if (marker !== undefined) {
    const found = await db.query<{ id: string }>(`SELECT id FROM ${spec.table} WHERE ${[...where, 'id = ?'].join(' AND ')}`, [...params, marker]);
    if (found.length === 0) throw new NotFoundException(spec.markerNotFound(marker));
    page.push('id > ?');
    pageParams.push(marker);
  }
  const rows = await db.query<R>(`${select} WHERE ${page.join(' AND ')} ORDER BY id LIMIT ${limit + 1}`, pageParams);
  return pageBody(rows.slice(0, limit).map((r) => spec.render(r)), query, spec, rows.length > limit);
}

function condition(attribute: SqlAttribute, wanted: string[], params: SqlValue[]): string {
  const read = wanted.map((w): SqlValue => {
    if (attribute.type === 'bool') return ['true', '1'].includes(w.toLowerCase()) ? 1 : 0;
    if (attribute.type === 'int') return /^-?\d+$/.test(w) ? Number(w) : null;
    return attribute.toColumn ? attribute.toColumn(w) : w;
  });
  const usable = read.filter((v) => v !== null);
  const parts: string[] = [];
  if (usable.length > 0) {
    parts.push(`${attribute.column} IN (${usable.map(() => '?').join(', ')})`);
    params.push(...usable);
  }
  if (attribute.nullAsEmpty && wanted.includes('')) parts.push(`${attribute.column} IS NULL`);
  return parts.length > 0 ? `(${parts.join(' OR ')})` : '1 = 0';
}

/**
 * `fixed_ips=ip_address=A` / `subnet_id=S` as LIKE on the JSON text: the value is matched with its
 * quotes, so it is exact. `ip_address_substr` cannot be said exactly in LIKE and is left for the
 * rows' own check (returns true: a residual filter).
 */
function fixedIpConditions(column: string, wanted: string[], where: string[], params: SqlValue[]): boolean {
  let residual = false;
  for (const w of wanted) {
    const [field, value] = splitOnce(w);
    if (field === 'ip_address' || field === 'subnet_id') {
      const key = field === 'ip_address' ? 'ipAddress' : 'subnetId';
      where.push(`${column} LIKE ? ESCAPE '\\'`);
      params.push(`%${escapeLike(JSON.stringify({ [key]: value }).slice(1, -1))}%`);
    } else {
      residual = true;
    }
  }
  return residual;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
