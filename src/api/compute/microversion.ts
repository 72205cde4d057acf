/**
 * Nova's microversions (compute API v2.1): parsing the request headers and negotiating the version a
 * request runs at. Pure: no Nest, no I/O.
 *
 * Headers, newest first: `OpenStack-API-Version: compute 2.47` (may list several services,
 * comma-separated), then the legacy `X-OpenStack-Nova-API-Version: 2.47`. `latest` is the maximum;
 * no header at all is the minimum (2.1), as Nova does.
 */
export interface Microversion {
  readonly major: number;
  readonly minor: number;
}

export const MIN_MICROVERSION: Microversion = { major: 2, minor: 1 };
/**
 * The highest microversion whose server, action and instance-action shapes this API renders key for
 * key (2.96: pinned_availability_zone). Later Nova versions change shapes we do not render yet.
 */
export const MAX_MICROVERSION: Microversion = { major: 2, minor: 96 };

export const MICROVERSION_HEADER = 'openstack-api-version';
export const LEGACY_MICROVERSION_HEADER = 'x-openstack-nova-api-version';
export const MICROVERSION_VARY = 'OpenStack-API-Version, X-OpenStack-Nova-API-Version';

export type Negotiated =
  | { ok: true; version: Microversion }
  | { ok: false; status: 400 | 406; message: string };

export function formatMicroversion(v: Microversion): string {
  return `${v.major}.${v.minor}`;
}

export function compareMicroversions(a: Microversion, b: Microversion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** The literals isAtLeast is called with, parsed once (a request asks several). */
const LITERALS = new Map<string, Microversion>();

/** True when `v` is at least `min` ("2.47"). */
export function isAtLeast(v: Microversion, min: string): boolean {
  let parsed = LITERALS.get(min);
  if (!parsed) {
    parsed = parseMicroversion(min);
    if (!parsed) throw new Error(`bad microversion literal ${min}`);
    LITERALS.set(min, parsed);
  }
  return compareMicroversions(v, parsed) >= 0;
}

/** "2.47" → {2, 47}; anything else (including "2.047"? accepted as Nova's int() does) → undefined. */
export function parseMicroversion(text: string): Microversion | undefined {
  const match = /^([1-9]\d*)\.(0|[1-9]\d*)$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

type HeaderValue = string | string[] | undefined;

/** The compute entry of OpenStack-API-Version, if any ("compute 2.47, identity 3" → "2.47"). */
function computeEntry(header: HeaderValue): string | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    for (const item of value.split(',')) {
      const [service, ...rest] = item.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && rest.length > 0) return rest.join(' ');
    }
  }
  return undefined;
}

function first(header: HeaderValue): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/**
 * The version a request asks for, from its (lower-cased) headers. Nova's answers: a malformed
 * version is 400 ("API Version String x is of invalid format..."), a well-formed one outside
 * [min, max] is 406.
 */
export function negotiateMicroversion(
  headers: Record<string, HeaderValue>,
  range: { min: Microversion; max: Microversion } = { min: MIN_MICROVERSION, max: MAX_MICROVERSION },
): Negotiated {
  const asked = computeEntry(headers[MICROVERSION_HEADER]) ?? first(headers[LEGACY_MICROVERSION_HEADER])?.trim();
  if (asked === undefined || asked === '') return { ok: true, version: range.min };
  if (asked.toLowerCase() === 'latest') return { ok: true, version: range.max };
  const version = parseMicroversion(asked);
  if (!version) {
    return {
      ok: false,
      status: 400,
      message: `API Version String ${asked} is of invalid format. Must be of format MajorNum.MinorNum.`,
    };
  }
  if (compareMicroversions(version, range.min) < 0 || compareMicroversions(version, range.max) > 0) {
    return {
      ok: false,
      status: 406,
      message: `Version ${formatMicroversion(version)} is not supported by the API. Minimum is ${formatMicroversion(range.min)} and maximum is ${formatMicroversion(range.max)}.`,
    };
  }
  return { ok: true, version };
}

/** The two headers a microversioned response carries, naming the version it was rendered at. */
export function microversionResponseHeaders(v: Microversion): Record<string, string> {
  return {
    'OpenStack-API-Version': `compute ${formatMicroversion(v)}`,
    'X-OpenStack-Nova-API-Version': formatMicroversion(v),
    Vary: MICROVERSION_VARY,
  };
}
