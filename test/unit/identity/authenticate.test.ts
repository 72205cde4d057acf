import { authenticatePassword, authorize } from '../../../src/identity/authenticate.js';
import { AuthenticationFailedError } from '../../../src/identity/authentication-failed.error.js';
import { IdentityDirectory } from '../../../src/identity/identity-directory.js';

const directory = IdentityDirectory.fromSeed({
  domains: [{ id: 'default', name: 'Default' }, { id: 'edge', name: 'Edge' }],
  projects: [{ name: 'ops' }, { name: 'web' }, { name: 'ops', domain: 'edge' }, { name: 'closed', enabled: false }],
  users: [
    { name: 'ann', password: 'ann-pw', default_project: 'web', roles: [{ project: 'ops', role: 'reader' }, { project: 'web', role: 'member' }, { project: 'closed', role: 'admin' }] },
    { name: 'bob', password: 'bob-pw', roles: [{ project: 'ops', project_domain: 'edge', role: 'admin' }] },
    { name: 'ann', domain: 'edge', password: 'edge-pw', enabled: false },
  ],
});

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthenticationFailedError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('authenticatePassword', () => {
  it('given a user by name in a domain by name and the right password, when authenticated, then that user', () => {
    expect(authenticatePassword(directory, { name: 'ann', domain: { name: 'Default' } }, 'ann-pw').domain.id).toBe('default');
  });

  it('given a user by id, when authenticated, then that user', () => {
    const bob = directory.userByName('bob', { id: 'default' })!;
    expect(authenticatePassword(directory, { id: bob.id }, 'bob-pw')).toBe(bob);
  });

  it.each([
    ['a wrong password', { name: 'ann', domain: { id: 'default' } }, 'nope', 'wrong-password'],
    ['an unknown name', { name: 'zed', domain: { id: 'default' } }, 'ann-pw', 'unknown-user'],
    ['a name in another domain', { name: 'bob', domain: { id: 'edge' } }, 'bob-pw', 'unknown-user'],
    ['a disabled user', { name: 'ann', domain: { id: 'edge' } }, 'edge-pw', 'user-disabled'],
  ])('given %s, when authenticated, then refused', (_, ref, password, reason) => {
    expect(reasonOf(() => authenticatePassword(directory, ref, password))).toBe(reason);
  });
});

describe('authorize', () => {
  const ann = directory.userByName('ann', { id: 'default' })!;
  const bob = directory.userByName('bob', { id: 'default' })!;

  it('given a project the user reads, when scoped to it, then only reader', () => {
    expect(authorize(directory, ann, { project: { name: 'ops', domain: { id: 'default' } } }).roles).toEqual(['reader']);
  });

  it('given a project in another domain by id, when scoped to it, then admin with its implied roles', () => {
    const edgeOps = directory.projectByName('ops', { id: 'edge' })!;
    const auth = authorize(directory, bob, { project: { id: edgeOps.id } });
    expect(auth.project).toBe(edgeOps);
    expect(auth.roles).toEqual(['admin', 'member', 'reader']);
  });

  it('given no scope and a default project, when authorized, then scoped to it; without one, unscoped', () => {
    expect(authorize(directory, ann, 'default').project?.name).toBe('web');
    expect(authorize(directory, bob, 'default')).toEqual({ user: bob, project: null, roles: [] });
  });

  it.each([
    ['a project without a role', { project: { name: 'web', domain: { id: 'default' } } }, 'bob', 'no-role-on-project'],
    ['an unknown project', { project: { id: 'nope' } }, 'ann', 'unknown-project'],
    ['a disabled project', { project: { name: 'closed', domain: { id: 'default' } } }, 'ann', 'project-disabled'],
    ['a domain scope', { domain: { id: 'default' } }, 'ann', 'scope-not-supported'],
    ['system scope', { system: true as const }, 'ann', 'scope-not-supported'],
  ])('given %s, when authorized, then refused', (_, scope, who, reason) => {
    expect(reasonOf(() => authorize(directory, who === 'ann' ? ann : bob, scope))).toBe(reason);
  });
});
