import { DomainError } from '../../domain/shared/domain-error.js';

/**
 * Nova's PortNotUsable (400): a given port must belong to the server's project, an admin's request
 * included (_validate_requested_port_ids in nova/network/neutron.py).
 */
export class PortNotUsableError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'PortNotUsable';
  constructor(readonly portId: string, readonly serverId: string) {
    super(`Port ${portId} not usable for instance ${serverId}.`);
  }
}
