/**
 * Every refusal the domain can make. The kind maps to one HTTP status in one place (the API's error
 * filter): invalid_input 400, forbidden 403, not_found 404, conflict 409.
 */
export type DomainErrorKind = 'invalid_input' | 'not_found' | 'conflict' | 'forbidden';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Stable machine-readable name, e.g. 'InstanceInvalidState'. */
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
