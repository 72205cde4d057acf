import { AuthenticationFailedError } from './authentication-failed.error.js';
import type { DomainRef, Project, User } from './identity-entities.js';
import type { IdentityDirectory } from './identity-directory.js';
import { DECOY_PASSWORD_HASH, verifyPassword } from './password-hash.js';
import type { RoleName } from './role-name.js';

export type UserRef = { id: string } | { name: string; domain: DomainRef };
export type ProjectRef = { id: string } | { name: string; domain: DomainRef };

/** What the request asked to be scoped to; `default` is no scope given, Keystone's default-project rule. */
export type ScopeRequest = { project: ProjectRef } | { domain: DomainRef } | { system: true } | 'unscoped' | 'default';

export interface Authorization {
  user: User;
  /** null: an unscoped token. */
  project: Project | null;
  roles: RoleName[];
}

/** Checks a password for the user it names; every failure looks the same to the client. */
export function authenticatePassword(directory: IdentityDirectory, ref: UserRef, password: string): User {
  const user = 'id' in ref ? directory.userById(ref.id) : directory.userByName(ref.name, ref.domain);
  // Hash even for an unknown user, so a response's timing does not tell which user names exist.
  const matches = verifyPassword(password, user?.passwordHash ?? DECOY_PASSWORD_HASH);
  if (!user) throw new AuthenticationFailedError('unknown-user');
  if (!matches) throw new AuthenticationFailedError('wrong-password');
  if (!user.enabled) throw new AuthenticationFailedError('user-disabled');
  return user;
}

/**
 * Scopes an authenticated user. A project needs at least one role on it. With no scope given the
 * user's default project is used when it still has a role there, else the token is unscoped, as
 * Keystone does. Domain and system scope are not offered: no one holds a role on them.
 */
export function authorize(directory: IdentityDirectory, user: User, scope: ScopeRequest): Authorization {
  if (scope === 'unscoped') return { user, project: null, roles: [] };
  if (scope === 'default') {
    const project = user.defaultProjectId ? directory.projectById(user.defaultProjectId) : undefined;
    const roles = project && project.enabled ? directory.rolesOn(user, project) : [];
    return project && roles.length > 0 ? { user, project, roles } : { user, project: null, roles: [] };
  }
  if (!('project' in scope)) throw new AuthenticationFailedError('scope-not-supported');
  const ref = scope.project;
  const project = 'id' in ref ? directory.projectById(ref.id) : directory.projectByName(ref.name, ref.domain);
  if (!project) throw new AuthenticationFailedError('unknown-project');
  if (!project.enabled) throw new AuthenticationFailedError('project-disabled');
  const roles = directory.rolesOn(user, project);
  if (roles.length === 0) throw new AuthenticationFailedError('no-role-on-project');
  return { user, project, roles };
}
