import { DomainError } from '../../domain/shared/domain-error.js';
import type { PortView } from '../../projections/networking/port-view.js';

/**
 * Nova's PortInUse (409): a given port that is bound, or being bound or unbound, to any server (the
 * one asked for included) is not taken again (_validate_requested_port_ids in nova/network/neutron.py,
 * checked right after PortNotUsable and before the port's network).
 */
export class PortInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortInUse';
  constructor(readonly portId: string) {
    super(`Port ${portId} is still in use.`);
  }
}

export function assertPortFree(port: PortView): void {
  if (port.deviceId !== '' || port.phase === 'binding' || port.phase === 'bound' || port.phase === 'unbinding') throw new PortInUseError(port.id);
}
