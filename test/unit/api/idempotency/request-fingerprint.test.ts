import { requestFingerprint, type RequestInputs } from '../../../../src/api/idempotency/request-fingerprint.js';

describe('requestFingerprint', () => {
  const revoke: RequestInputs = { method: 'DELETE', url: '/identity/v3/auth/tokens', body: undefined, projectId: 'p1', subjectToken: 'token-a', microversion: undefined };
  const create: RequestInputs = { method: 'POST', url: '/compute/v2.1/servers', body: { server: { name: 'a', flavorRef: '1' } }, projectId: 'p1', subjectToken: undefined, microversion: '2.1' };

  it('given the same request with its body keys in another order, then the same fingerprint', () => {
    expect(requestFingerprint({ ...create, body: { server: { flavorRef: '1', name: 'a' } } })).toBe(requestFingerprint(create));
  });

  it('given another X-Subject-Token, then another fingerprint (revoking another token is another request)', () => {
    expect(requestFingerprint({ ...revoke, subjectToken: 'token-b' })).not.toBe(requestFingerprint(revoke));
  });

  it("given another project scope of the caller's token, then another fingerprint", () => {
    expect(requestFingerprint({ ...create, projectId: 'p2' })).not.toBe(requestFingerprint(create));
  });

  it('given another microversion, then another fingerprint (what the write accepts and how it answers differ)', () => {
    expect(requestFingerprint({ ...create, microversion: '2.96' })).not.toBe(requestFingerprint(create));
  });
});
