import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';

/** The auth request does not match Keystone's schema; the message names the field, as Keystone's does. */
export class InvalidAuthRequestError extends BadRequestException {
  constructor(field: string, problem: string) {
    super(`Invalid input for field '${field}': ${problem}`);
    this.name = 'InvalidAuthRequestError';
  }
}

/** A validate or revoke call without the token it is about. */
export class MissingSubjectTokenError extends BadRequestException {
  constructor() {
    super(
      'Expecting to find X-Subject-Token in token. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
    );
    this.name = 'MissingSubjectTokenError';
  }
}

/** The X-Subject-Token is forged, expired or revoked (Keystone answers 404 for the subject, 401 for the caller). */
export class SubjectTokenNotFoundError extends NotFoundException {
  constructor() {
    super('Failed to validate token');
    this.name = 'SubjectTokenNotFoundError';
  }
}

/** Keystone's policy refusal for its own API (another user's token, a catalog without a project). */
export class IdentityActionForbiddenError extends ForbiddenException {
  constructor(action: string) {
    super(`You are not authorized to perform the requested action: ${action}.`);
    this.name = 'IdentityActionForbiddenError';
  }
}

/** Keystone's 404 for an identity entity: "Could not find project: <id>." */
export class IdentityEntityNotFoundError extends NotFoundException {
  constructor(kind: 'project' | 'user', id: string) {
    super(`Could not find ${kind}: ${id}.`);
    this.name = 'IdentityEntityNotFoundError';
  }
}
