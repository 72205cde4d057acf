import { DomainError } from '../../../domain/shared/domain-error.js';

/** Nova's 409 for a second live flavor with a name (checked against the catalogue read model). */
export class FlavorNameExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'FlavorExists';
  constructor(readonly flavorName: string) {
    super(`Flavor with name ${flavorName} already exists.`);
  }
}

export class FlavorExtraSpecNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'FlavorExtraSpecsNotFound';
  constructor(flavorId: string, key: string) {
    super(`Flavor ${flavorId} has no extra specs with key ${key}.`);
  }
}
