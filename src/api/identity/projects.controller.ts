import { Controller, Get, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import type { Project } from '../../identity/identity-entities.js';
import { IdentityDirectory } from '../../identity/identity-directory.js';
import { CallerToken } from '../auth/ctx.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import type { VerifiedToken } from '../auth/verified-token.js';
import { KeystoneExceptionFilter } from './keystone-exception.filter.js';
import { IdentityActionForbiddenError, IdentityEntityNotFoundError } from './keystone-errors.js';
import { projectListEntry } from './token-body.js';
import { AllowUnscoped } from '../auth/allow-unscoped.decorator.js';

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);

/**
 * Keystone's read side for projects and users, as its default policies allow: an admin lists and
 * reads every project (what `openstack quota show <project name>` resolves names with); anyone reads
 * the project their token is scoped to, their own user and their own projects. Users and projects
 * come from the identity file, so there are no writes here.
 */
@Controller('identity/v3')
@UseFilters(KeystoneExceptionFilter)
export class ProjectsController {
  private readonly identityUrl: string;

  constructor(
    private readonly directory: IdentityDirectory,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.identityUrl = `${publicUrl(config)}/identity/v3`;
  }

  @Get('projects')
  list(@CallerToken() caller: VerifiedToken, @Query() query: Record<string, unknown>) {
    if (!isAdmin(caller)) throw new IdentityActionForbiddenError('identity:list_projects');
    const projects = this.directory.allProjects().filter((p) => matches(p, query));
    return this.projectList(projects, '/projects');
  }

  @Get('projects/:id')
  show(@CallerToken() caller: VerifiedToken, @Param('id') id: string) {
    const project = this.directory.projectById(id);
    // Keystone checks the policy first: a non-admin asking for another project gets 403 either way.
    if (!isAdmin(caller) && caller.project?.id !== id) throw new IdentityActionForbiddenError('identity:get_project');
    if (!project) throw new IdentityEntityNotFoundError('project', id);
    return { project: projectListEntry(project, this.identityUrl) };
  }

  @AllowUnscoped()
  @Get('users/:id')
  user(@CallerToken() caller: VerifiedToken, @Param('id') id: string) {
    if (!isAdmin(caller) && caller.user.id !== id) throw new IdentityActionForbiddenError('identity:get_user');
    const user = this.directory.userById(id);
    if (!user) throw new IdentityEntityNotFoundError('user', id);
    return {
      user: {
        id: user.id,
        name: user.name,
        domain_id: user.domain.id,
        enabled: user.enabled,
        ...(user.email ? { email: user.email } : {}),
        ...(user.defaultProjectId ? { default_project_id: user.defaultProjectId } : {}),
        password_expires_at: null,
        options: {},
        links: { self: `${this.identityUrl}/users/${user.id}` },
      },
    };
  }

  @AllowUnscoped()
  @Get('users/:id/projects')
  userProjects(@CallerToken() caller: VerifiedToken, @Param('id') id: string) {
    if (!isAdmin(caller) && caller.user.id !== id) throw new IdentityActionForbiddenError('identity:list_user_projects');
    const user = this.directory.userById(id);
    if (!user) throw new IdentityEntityNotFoundError('user', id);
    return this.projectList(this.directory.projectsOf(user), `/users/${id}/projects`);
  }

  private projectList(projects: readonly Project[], path: string) {
    return {
      projects: projects.map((p) => projectListEntry(p, this.identityUrl)),
      links: { self: `${this.identityUrl}${path}`, previous: null, next: null },
    };
  }
}

function isAdmin(caller: VerifiedToken): boolean {
  return caller.project !== null && caller.claims.roles.includes('admin');
}

/** Keystone's list filters: name, domain_id, enabled (unknown filters are ignored, as Keystone does). */
function matches(project: Project, query: Record<string, unknown>): boolean {
  if (typeof query.name === 'string' && project.name !== query.name) return false;
  if (typeof query.domain_id === 'string' && project.domain.id !== query.domain_id) return false;
  if (typeof query.enabled === 'string' && project.enabled !== TRUE_WORDS.has(query.enabled.toLowerCase())) return false;
  return true;
}
