import { ForbiddenException } from '@nestjs/common';

/** An unscoped token on a route that acts within a project. */
export class ProjectScopeRequiredError extends ForbiddenException {
  constructor() {
    super('A project-scoped token is required for this request.');
    this.name = 'ProjectScopeRequiredError';
  }
}
