import { parseIpAddress, type IpAddress } from './ip-address.js';

/** An inclusive range of addresses as events keep it (canonical texts); one address is start = end. */
export interface IpRange {
  start: string;
  end: string;
}

/** The same range as numbers, for the allocator. */
export interface NumericRange {
  first: bigint;
  last: bigint;
}

export interface ParsedRange {
  range: IpRange;
  first: IpAddress;
  last: IpAddress;
}

/** A range from its two ends, canonicalised; null when an end is not an address, the versions differ or start > end. */
export function parseRange(start: string, end: string): ParsedRange | null {
  const first = parseIpAddress(start);
  const last = parseIpAddress(end);
  if (!first || !last || first.version !== last.version || first.value > last.value) return null;
  return { range: { start: first.text, end: last.text }, first, last };
}

/** Kube-OVN's excludeIps form: one address ("10.0.0.1") or a range ("10.0.0.10..10.0.0.20"). */
export function parseExcludeEntry(entry: string): ParsedRange | null {
  if (typeof entry !== 'string') return null;
  const parts = entry.split('..');
  if (parts.length > 2) return null;
  return parseRange(parts[0]!, parts[1] ?? parts[0]!);
}

/** The Kube-OVN text of a range. */
export const excludeEntryOf = (r: IpRange): string => (r.start === r.end ? r.start : `${r.start}..${r.end}`);

export function toNumeric(range: IpRange): NumericRange {
  return { first: parseIpAddress(range.start)!.value, last: parseIpAddress(range.end)!.value };
}

export const rangesOverlap = (a: NumericRange, b: NumericRange): boolean => a.first <= b.last && b.first <= a.last;

export const rangeContains = (r: NumericRange, value: bigint): boolean => value >= r.first && value <= r.last;
