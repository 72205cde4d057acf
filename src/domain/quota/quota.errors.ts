import { DomainError } from '../shared/domain-error.js';

export class InvalidQuotaError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidQuotaValue';
}
