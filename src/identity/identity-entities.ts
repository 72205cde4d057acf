import type { PasswordHash } from './password-hash.js';
import type { RoleName } from './role-name.js';

export interface Domain {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
  readonly description: string;
  readonly enabled: boolean;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
  readonly enabled: boolean;
  readonly email?: string;
  readonly passwordHash: PasswordHash;
  readonly defaultProjectId?: string;
  /** Assigned roles by project id (implied roles not included). */
  readonly roles: ReadonlyMap<string, readonly RoleName[]>;
}

/** A domain given by id or by name, as Keystone accepts either in auth requests. */
export type DomainRef = { id: string } | { name: string };
