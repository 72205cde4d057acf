import {
  isAtLeast,
  MAX_MICROVERSION,
  microversionResponseHeaders,
  negotiateMicroversion,
  parseMicroversion,
} from '../../../../src/api/compute/microversion.js';

describe('microversion negotiation', () => {
  it('given no header, when negotiated, then 2.1', () => {
    expect(negotiateMicroversion({})).toEqual({ ok: true, version: { major: 2, minor: 1 } });
  });

  it.each([
    [{ 'openstack-api-version': 'compute 2.47' }, 47],
    [{ 'openstack-api-version': 'identity 3, compute 2.60' }, 60],
    [{ 'openstack-api-version': 'COMPUTE 2.9' }, 9],
    [{ 'x-openstack-nova-api-version': '2.26' }, 26],
    [{ 'openstack-api-version': 'compute 2.19', 'x-openstack-nova-api-version': '2.3' }, 19],
    [{ 'openstack-api-version': 'identity 3', 'x-openstack-nova-api-version': '2.3' }, 3],
    [{ 'openstack-api-version': 'compute latest' }, MAX_MICROVERSION.minor],
    [{ 'x-openstack-nova-api-version': 'latest' }, MAX_MICROVERSION.minor],
  ])('given %j, when negotiated, then 2.%i', (headers, minor) => {
    expect(negotiateMicroversion(headers)).toEqual({ ok: true, version: { major: 2, minor } });
  });

  it.each([['compute 2.200'], ['compute 3.0'], ['compute 2.0'], ['compute 1.1']])('given %s, when negotiated, then 406 naming the range', (value) => {
    const result = negotiateMicroversion({ 'openstack-api-version': value });
    expect(result).toMatchObject({ ok: false, status: 406 });
    expect(!result.ok && result.message).toMatch(/is not supported by the API. Minimum is 2.1 and maximum is 2.\d+\./);
  });

  it.each([['compute 2.x'], ['compute two'], ['compute 2'], ['compute 2.1.1']])('given %s, when negotiated, then 400 invalid format', (value) => {
    const result = negotiateMicroversion({ 'openstack-api-version': value });
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(!result.ok && result.message).toMatch(/is of invalid format/);
  });

  it('the maximum is at least 2.79', () => {
    expect(isAtLeast(MAX_MICROVERSION, '2.79')).toBe(true);
  });

  it('compares numerically, not as text', () => {
    const v = parseMicroversion('2.10')!;
    expect(isAtLeast(v, '2.9')).toBe(true);
    expect(isAtLeast(v, '2.47')).toBe(false);
  });

  it('the response headers echo the version in both forms with Vary', () => {
    expect(microversionResponseHeaders({ major: 2, minor: 47 })).toEqual({
      'OpenStack-API-Version': 'compute 2.47',
      'X-OpenStack-Nova-API-Version': '2.47',
      Vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
    });
  });
});
