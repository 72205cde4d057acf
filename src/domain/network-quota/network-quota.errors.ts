import { DomainError } from '../shared/domain-error.js';

/** Neutron answers a bad quota body with InvalidInput (400). */
export class InvalidNetworkQuotaError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidInput';
  constructor(reason: string) {
    super(`Invalid input for operation: ${reason}`);
  }
}
