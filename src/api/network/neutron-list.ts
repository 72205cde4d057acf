import { NotFoundException } from '@nestjs/common';
import { NeutronBadRequest } from './neutron-errors.js';

type Item = Record<string, unknown>;
export type RawQuery = Record<string, string | string[] | undefined>;

/** The query parameters that page and shape a list rather than filter it. */
export const PAGING: ReadonlySet<string> = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse']);

export interface ListSpec {
  /** The collection's name: `networks` gives `networks_links`. */
  collection: string;
  /** Attributes a client may filter and sort by (Neutron's filter validation refuses others). */
  filterable: readonly string[];
  /** The collection's URL, for the next and previous links. */
  url: string;
  /** The 404 for an unknown marker, in the resource's words. */
  markerNotFound(id: string): string;
}

export const values = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Neutron's list semantics over rendered bodies: any filterable attribute as a query parameter
 * (repeated: any of the values), `fixed_ips=ip_address=...` / `fixed_ips=subnet_id=...`,
 * sort_key/sort_dir (repeatable, id breaks ties), limit/marker with next/previous links, and
 * fields=... to select keys.
 */
export function neutronList(items: Item[], query: RawQuery, spec: ListSpec): Record<string, unknown> {
  assertFilterable(query, spec);
  if (values(query.page_reverse).some((v) => v.toLowerCase() === 'true')) throw new NeutronBadRequest('page_reverse is not supported by this cloud.');
  let selected = items.filter((item) => Object.entries(query).every(([key, value]) => PAGING.has(key) || matches(item, key, values(value))));
  selected = sorted(selected, values(query.sort_key), values(query.sort_dir), spec.filterable);

  const marker = values(query.marker)[0];
  let start = 0;
  if (marker !== undefined) {
    const at = selected.findIndex((item) => item.id === marker);
    if (at < 0) throw new NotFoundException(spec.markerNotFound(marker));
    start = at + 1;
  }
  const limit = parseLimit(values(query.limit)[0]);
  const page = limit === null ? selected.slice(start) : selected.slice(start, start + limit);
  return pageBody(page, query, spec, limit !== null && start + limit < selected.length);
}

/** Neutron's filter validation: a parameter that neither pages nor names a filterable attribute is a 400. */
export function assertFilterable(query: RawQuery, spec: ListSpec): void {
  for (const key of Object.keys(query)) {
    if (!PAGING.has(key) && !spec.filterable.includes(key)) throw new NeutronBadRequest(`[${key}] is invalid attribute for filtering`);
  }
}

/** One page's body: its items (with `fields` applied) and the next / previous links Neutron gives. */
export function pageBody(page: Item[], query: RawQuery, spec: ListSpec, hasNext: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { [spec.collection]: page.map((item) => pick(item, values(query.fields))) };
  const links: { rel: string; href: string }[] = [];
  const marker = values(query.marker)[0];
  const last = page[page.length - 1];
  if (hasNext && last) links.push({ rel: 'next', href: linkTo(spec.url, query, { marker: String(last.id) }) });
  if (marker !== undefined && page[0]) links.push({ rel: 'previous', href: linkTo(spec.url, query, { marker: String(page[0].id), page_reverse: 'True' }) });
  if (links.length > 0) body[`${spec.collection}_links`] = links;
  return body;
}

/** One item's fields; `fields` given: only those (Neutron's field selection). */
export function pick(item: Item, fields: string[]): Item {
  if (fields.length === 0) return item;
  return Object.fromEntries(fields.filter((f) => f in item).map((f) => [f, item[f]]));
}

function matches(item: Item, key: string, wanted: string[]): boolean {
  if (key === 'fixed_ips') {
    const fixed = (item.fixed_ips ?? []) as { subnet_id: string; ip_address: string }[];
    return wanted.every((w) => {
      const [field, value] = splitOnce(w);
      if (field !== 'ip_address' && field !== 'subnet_id' && field !== 'ip_address_substr') {
        throw new NeutronBadRequest(`Invalid input for fixed_ips. Reason: '${w}' is not ip_address=<address> or subnet_id=<id>.`);
      }
      if (field === 'ip_address_substr') return fixed.some((f) => f.ip_address.includes(value));
      return fixed.some((f) => f[field] === value);
    });
  }
  const actual = item[key];
  if (typeof actual === 'boolean') return wanted.some((w) => ['true', '1'].includes(w.toLowerCase()) === actual);
  return wanted.some((w) => String(actual ?? '') === w);
}

function sorted(items: Item[], keys: string[], dirs: string[], sortable: readonly string[]): Item[] {
  if (dirs.length > 0 && dirs.length !== keys.length) throw new NeutronBadRequest('The number of sort_keys and sort_dirs must be same');
  for (const key of keys) if (!sortable.includes(key) || key === 'fixed_ips') throw new NeutronBadRequest(`${key} is invalid attribute for sort_keys`);
  for (const dir of dirs) if (dir !== 'asc' && dir !== 'desc') throw new NeutronBadRequest(`${dir} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
  const order = [...keys.map((key, i) => ({ key, desc: dirs[i] === 'desc' })), { key: 'id', desc: false }];
  return [...items].sort((a, b) => {
    for (const { key, desc } of order) {
      const [x, y] = [a[key], b[key]];
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });
}

function parseLimit(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d+$/.test(text)) throw new NeutronBadRequest(`Limit must be an integer 0 or greater and not '${text}'`);
  const n = Number(text);
  return n === 0 ? null : n;
}

function linkTo(url: string, query: RawQuery, override: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key === 'marker' || key === 'page_reverse') continue;
    for (const v of values(value)) params.append(key, v);
  }
  for (const [key, value] of Object.entries(override)) params.set(key, value);
  return `${url}?${params.toString()}`;
}

/** `field=value` split at its first `=` (a fixed_ips filter); no `=`: the whole text and ''. */
export function splitOnce(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
