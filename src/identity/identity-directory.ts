import { identitySeedSchema } from './identity-seed.schema.js';
import type { Domain, DomainRef, Project, User } from './identity-entities.js';
import { InvalidIdentityFileError } from './invalid-identity-file.error.js';
import { hashPassword } from './password-hash.js';
import { effectiveRoles, type RoleName } from './role-name.js';
import { stableId } from './stable-id.js';

/** The users, projects and role assignments the service knows, read-only once loaded. */
export class IdentityDirectory {
  private constructor(
    private readonly domains: readonly Domain[],
    private readonly projects: readonly Project[],
    private readonly users: readonly User[],
  ) {}

  /**
   * Validates the seed (shape, then references) and hashes every password. Throws
   * InvalidIdentityFileError listing every problem at once, each with its place in the file.
   */
  static fromSeed(seed: unknown, source = 'identity seed'): IdentityDirectory {
    const parsed = identitySeedSchema.safeParse(seed);
    if (!parsed.success) {
      throw new InvalidIdentityFileError(
        source,
        parsed.error.issues.map((i) => `${i.path.map(String).join('.').replace(/\.(\d+)/g, '[$1]') || '(root)'}: ${i.message}`),
      );
    }
    const data = parsed.data;
    const problems: string[] = [];

    const domains: Domain[] = data.domains.map((d) => ({ id: d.id, name: d.name, description: d.description ?? '' }));
    duplicates(domains.map((d) => d.id), (v) => problems.push(`domains: id "${v}" appears more than once`));
    duplicates(domains.map((d) => d.name), (v) => problems.push(`domains: name "${v}" appears more than once`));
    const domainById = new Map(domains.map((d) => [d.id, d]));

    const projects: Project[] = [];
    data.projects.forEach((p, i) => {
      const domain = domainById.get(p.domain);
      if (!domain) return void problems.push(`projects[${i}].domain: no domain with id "${p.domain}"`);
      projects.push({ id: p.id ?? stableId('project', p.domain, p.name), name: p.name, domain, description: p.description ?? '', enabled: p.enabled });
    });
    duplicates(projects.map((p) => p.id), (v) => problems.push(`projects: id "${v}" appears more than once`));
    duplicates(projects.map((p) => `${p.domain.id}/${p.name}`), (v) => problems.push(`projects: name "${v.split('/')[1]}" appears more than once in domain "${v.split('/')[0]}"`));
    const projectByName = (domainId: string, name: string) => projects.find((p) => p.domain.id === domainId && p.name === name);

    const users: User[] = [];
    data.users.forEach((u, i) => {
      const domain = domainById.get(u.domain);
      if (!domain) return void problems.push(`users[${i}].domain: no domain with id "${u.domain}"`);
      const roles = new Map<string, RoleName[]>();
      u.roles.forEach((r, j) => {
        const projectDomain = r.project_domain ?? u.domain;
        const project = projectByName(projectDomain, r.project);
        if (!project) return void problems.push(`users[${i}].roles[${j}].project: no project "${r.project}" in domain "${projectDomain}"`);
        roles.set(project.id, [...(roles.get(project.id) ?? []), r.role]);
      });
      let defaultProjectId: string | undefined;
      if (u.default_project !== undefined) {
        const project = projectByName(u.domain, u.default_project);
        if (!project) problems.push(`users[${i}].default_project: no project "${u.default_project}" in domain "${u.domain}"`);
        defaultProjectId = project?.id;
      }
      users.push({
        id: u.id ?? stableId('user', u.domain, u.name),
        name: u.name,
        domain,
        enabled: u.enabled,
        email: u.email,
        passwordHash: hashPassword(u.password),
        defaultProjectId,
        roles,
      });
    });
    duplicates(users.map((u) => u.id), (v) => problems.push(`users: id "${v}" appears more than once`));
    duplicates(users.map((u) => `${u.domain.id}/${u.name}`), (v) => problems.push(`users: name "${v.split('/')[1]}" appears more than once in domain "${v.split('/')[0]}"`));

    if (problems.length > 0) throw new InvalidIdentityFileError(source, problems);
    return new IdentityDirectory(domains, projects, users);
  }

  /** Parses JSON text first, so a syntax error is reported like any other problem. */
  static fromJson(text: string, source: string): IdentityDirectory {
    let seed: unknown;
    try {
      seed = JSON.parse(text);
    } catch (error) {
      throw new InvalidIdentityFileError(source, [`not valid JSON: ${(error as Error).message}`]);
    }
    return IdentityDirectory.fromSeed(seed, source);
  }

  domain(ref: DomainRef): Domain | undefined {
    return 'id' in ref ? this.domains.find((d) => d.id === ref.id) : this.domains.find((d) => d.name === ref.name);
  }

  userById(id: string): User | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByName(name: string, domain: DomainRef): User | undefined {
    const d = this.domain(domain);
    return d && this.users.find((u) => u.domain.id === d.id && u.name === name);
  }

  projectById(id: string): Project | undefined {
    return this.projects.find((p) => p.id === id);
  }

  projectByName(name: string, domain: DomainRef): Project | undefined {
    const d = this.domain(domain);
    return d && this.projects.find((p) => p.domain.id === d.id && p.name === name);
  }

  /** Every project, enabled or not, in the order the seed lists them. */
  allProjects(): readonly Project[] {
    return this.projects;
  }

  /** The user's roles on the project, implied roles included; empty when it has none. */
  rolesOn(user: User, project: Project): RoleName[] {
    return effectiveRoles(user.roles.get(project.id) ?? []);
  }

  /** The enabled projects the user has a role on, in the order the seed lists them. */
  projectsOf(user: User): Project[] {
    return this.projects.filter((p) => p.enabled && user.roles.has(p.id));
  }
}

function duplicates(values: string[], report: (value: string) => void): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) report(v);
    seen.add(v);
  }
}
