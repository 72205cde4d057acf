import type { IdentitySeed } from './identity-seed.schema.js';

/**
 * What the embedded run starts with when no IDENTITY_FILE is given: Keystone's `default` domain, an
 * `admin` project administered by `admin`, and a `demo` project where `demo` is a member (devstack's
 * layout, so the usual openrc settings work).
 */
export function defaultIdentitySeed(passwords: { admin: string; demo: string }): IdentitySeed {
  return {
    domains: [{ id: 'default', name: 'Default' }],
    projects: [
      { name: 'admin', description: 'Bootstrap project for initializing the cloud.' },
      { name: 'demo', description: 'Demo project.' },
    ],
    users: [
      { name: 'admin', password: passwords.admin, default_project: 'admin', roles: [{ project: 'admin', role: 'admin' }] },
      { name: 'demo', password: passwords.demo, default_project: 'demo', roles: [{ project: 'demo', role: 'member' }] },
    ],
  };
}
