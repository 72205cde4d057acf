import { createHash } from 'node:crypto';

/**
 * What makes two requests "the same request" for a retry: method, path with query, and body, with
 * the body's keys sorted so that a client re-serialising its JSON still matches. OpenStack's request
 * id is a *global* id that one operation may carry across several different calls, so the id alone
 * cannot say that a request is a retry; id and fingerprint together can.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${url}\n${canonicalJson(body)}`).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
