import { InvalidAuthRequestError } from '../../../src/api/identity/keystone-errors.js';
import { parseAuthRequest } from '../../../src/api/identity/auth-request.schema.js';

const password = (user: unknown) => ({ methods: ['password'], password: { user } });

describe('parseAuthRequest', () => {
  it("given keystoneauth's password body with a project scope, when parsed, then user by name and domain, project by name and domain", () => {
    const parsed = parseAuthRequest({
      auth: {
        identity: password({ name: 'admin', domain: { name: 'Default' }, password: 'pw' }),
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    });
    expect(parsed).toEqual({
      identity: { method: 'password', user: { name: 'admin', domain: { name: 'Default' } }, password: 'pw' },
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    });
  });

  it('given ids, when parsed, then ids win over names', () => {
    const parsed = parseAuthRequest({ auth: { identity: password({ id: 'u1', name: 'x', password: 'pw' }), scope: { project: { id: 'p1' } } } });
    expect(parsed.identity).toEqual({ method: 'password', user: { id: 'u1' }, password: 'pw' });
    expect(parsed.scope).toEqual({ project: { id: 'p1' } });
  });

  it('given no scope or "unscoped", when parsed, then default or unscoped', () => {
    expect(parseAuthRequest({ auth: { identity: password({ id: 'u', password: 'p' }) } }).scope).toBe('default');
    expect(parseAuthRequest({ auth: { identity: password({ id: 'u', password: 'p' }), scope: 'unscoped' } }).scope).toBe('unscoped');
  });

  it('given the token method, when parsed, then the token id', () => {
    expect(parseAuthRequest({ auth: { identity: { methods: ['token'], token: { id: 'abc' } } } }).identity).toEqual({ method: 'token', tokenId: 'abc' });
  });

  it.each([
    [{}, "Invalid input for field 'body': 'auth' is a required property"],
    [{ auth: { identity: { methods: [] } } }, /'auth\/identity\/methods'/],
    [{ auth: { identity: { methods: ['password'] } } }, "Invalid input for field 'identity': 'password' is a required property"],
    [{ auth: { identity: password({ name: 'a', password: 'p' }) } }, /auth\/identity\/password\/user/],
    [{ auth: { identity: { methods: ['oauth1'] } } }, /unsupported method/],
    [{ auth: { identity: password({ id: 'u', password: 'p' }), scope: { project: {} } } }, /auth\/scope/],
  ])('given %j, when parsed, then 400 naming the field', (body, message) => {
    expect(() => parseAuthRequest(body)).toThrow(InvalidAuthRequestError);
    expect(() => parseAuthRequest(body)).toThrow(message);
  });
});
