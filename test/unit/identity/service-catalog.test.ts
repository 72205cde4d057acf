import { serviceCatalog } from '../../../src/identity/service-catalog.js';
import { publicUrl } from '../../../src/api/auth/public-url.js';

describe('serviceCatalog', () => {
  it('given a public URL with a trailing slash, when the catalog is built, then every URL is under it once', () => {
    const urls = serviceCatalog('http://h:1/').flatMap((s) => s.endpoints.map((e) => e.url));
    expect(new Set(urls)).toEqual(new Set(['http://h:1/compute/v2.1', 'http://h:1/network', 'http://h:1/image', 'http://h:1/identity/v3']));
  });

  it('given two builds, when compared, then the ids are stable and unique', () => {
    const a = serviceCatalog('http://a');
    const ids = a.flatMap((s) => [s.id, ...s.endpoints.map((e) => e.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(serviceCatalog('http://b').map((s) => s.id)).toEqual(a.map((s) => s.id));
  });
});

describe('publicUrl', () => {
  it.each([
    [{ PUBLIC_URL: 'https://cloud.example/', HOST: '0.0.0.0', PORT: 1 }, 'https://cloud.example'],
    [{ PUBLIC_URL: undefined, HOST: '127.0.0.1', PORT: 8774 }, 'http://127.0.0.1:8774'],
    [{ PUBLIC_URL: undefined, HOST: '::1', PORT: 8774 }, 'http://[::1]:8774'],
  ])('given %j, when resolved, then %s', (config, expected) => {
    expect(publicUrl(config)).toBe(expected);
  });
});
