import { DomainError } from '../../domain/shared/domain-error.js';

/**
 * Nova's ExternalNetworkAttachForbidden (403): the caller reads the network (external networks are
 * visible to all) but only an admin may put a server's port on it unless it is shared.
 */
export class ExternalNetworkAttachForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  readonly code = 'ExternalNetworkAttachForbidden';
  constructor(readonly networkId: string) {
    super(`It is not allowed to create an interface on external network ${networkId}`);
  }
}
