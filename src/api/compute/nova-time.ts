/** Nova's `created`/`updated`: seconds, `Z` ("2013-09-23T13:53:12Z"). */
export function isoSeconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/**
 * Nova's naive timestamps (launched_at, instance action times): microseconds, no zone
 * ("2013-09-23T13:53:12.000000"), as it serialises the UTC datetimes it keeps.
 */
export function isoMicros(iso: string | null): string | null {
  if (iso === null) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return `${d.toISOString().slice(0, 19)}.${fraction.padEnd(6, '0').slice(0, 6)}`;
}
