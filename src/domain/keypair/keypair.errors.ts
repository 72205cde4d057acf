import { DomainError } from '../shared/domain-error.js';

export class InvalidKeypairError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidKeypair';
}

export class KeypairExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'KeyPairExists';
  constructor(readonly keypairName: string) {
    super(`Key pair '${keypairName}' already exists.`);
  }
}

export class KeypairNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'KeypairNotFound';
  constructor(
    readonly keypairName: string,
    readonly userId: string,
  ) {
    super(`Keypair ${keypairName} not found for user ${userId}`);
  }
}
