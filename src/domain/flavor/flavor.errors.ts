import { DomainError } from '../shared/domain-error.js';

export class FlavorNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'FlavorNotFound';
  constructor(readonly flavorId: string) {
    super(`Flavor ${flavorId} could not be found.`);
  }
}

export class FlavorExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'FlavorExists';
  constructor(readonly flavorId: string) {
    super(`Flavor with ID ${flavorId} already exists.`);
  }
}

export class InvalidFlavorError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidFlavor';
}
