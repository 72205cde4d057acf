import { DomainError } from '../shared/domain-error.js';

export class InvalidImageError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidImage';
}

export class ImageExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'ImageExists';
  constructor(readonly imageId: string) {
    super(`Image with identifier ${imageId} already exists!`);
  }
}

export class ImageNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'ImageNotFound';
  constructor(readonly imageId: string) {
    super(`No image found with ID ${imageId}`);
  }
}

/** Glance answers 403 for deleting a protected image; as a domain refusal it is a conflict with the image's state. */
export class ImageProtectedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'ImageProtected';
  constructor(readonly imageId: string) {
    super(`Image ${imageId} is protected and cannot be deleted.`);
  }
}
