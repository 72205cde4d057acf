import { PolicyNotAuthorizedError } from '../../../src/api/auth/policy-not-authorized.error.js';
import { requireAdmin, requireWriter } from '../../../src/api/auth/policy.js';
import type { RequestContext } from '../../../src/api/auth/request-context.js';
import type { RoleName } from '../../../src/identity/role-name.js';

const ctx = (roles: RoleName[]): RequestContext => ({
  userId: 'u',
  userName: 'user',
  projectId: 'p',
  projectName: 'project',
  roles,
  isAdmin: roles.includes('admin'),
  tokenId: 't',
  expiresAt: new Date(0),
});

describe('policy helpers', () => {
  it('given an admin, when admin or write is required, then allowed', () => {
    expect(() => requireAdmin(ctx(['admin', 'member', 'reader']), 'x:y')).not.toThrow();
    expect(() => requireWriter(ctx(['admin', 'member', 'reader']), 'x:y')).not.toThrow();
  });

  it("given a member, when admin is required, then 403 with OpenStack's policy message; writing is allowed", () => {
    expect(() => requireAdmin(ctx(['member', 'reader']), 'os_compute_api:os-migrations:index')).toThrow(
      new PolicyNotAuthorizedError('os_compute_api:os-migrations:index'),
    );
    expect(() => requireAdmin(ctx(['member', 'reader']), 'a:b')).toThrow("Policy doesn't allow a:b to be performed.");
    expect(() => requireWriter(ctx(['member', 'reader']), 'x:y')).not.toThrow();
  });

  it('given a reader, when write is required, then 403', () => {
    let status = 0;
    try {
      requireWriter(ctx(['reader']), 'os_compute_api:servers:create');
    } catch (error) {
      status = (error as PolicyNotAuthorizedError).getStatus();
    }
    expect(status).toBe(403);
  });
});
