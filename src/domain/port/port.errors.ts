import { DomainError } from '../shared/domain-error.js';
import type { PortPhase } from './port.state.js';

export class PortNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'PortNotFound';
  constructor(readonly portId: string) {
    super(`Port ${portId} could not be found.`);
  }
}

export class PortExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortExists';
  constructor(readonly portId: string) {
    super(`Port ${portId} already exists.`);
  }
}

export class InvalidPortInputError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidInput';
  constructor(reason: string) {
    super(`Invalid input for operation: ${reason}`);
  }
}

export class InvalidVnicTypeError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidVnicType';
  constructor(readonly vnicType: unknown, allowed: readonly string[]) {
    super(`Invalid input for binding:vnic_type. Reason: '${String(vnicType)}' is not in [${allowed.map((v) => `'${v}'`).join(', ')}].`);
  }
}

/** Neutron's PortInUse: the port is attached to another device. */
export class PortInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortInUse';
  constructor(readonly portId: string, readonly networkId: string, readonly deviceId: string) {
    super(`Unable to complete operation on port ${portId} for network ${networkId}. Port already has an attached device ${deviceId}.`);
  }
}

/** The seeds' rule: a bound (or binding, or unbinding) port is detached before it is deleted. */
export class PortBoundError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortBound';
  constructor(readonly portId: string, readonly deviceId: string, readonly phase: PortPhase) {
    super(`Port ${portId} is attached to device ${deviceId} (phase ${phase}); detach it first.`);
  }
}

/** An action the port's phase does not allow now (another attach or detach is under way). */
export class PortPhaseConflictError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortPhaseConflict';
  constructor(readonly action: string, readonly portId: string, readonly phase: PortPhase) {
    super(`Cannot '${action}' port ${portId} while it is in phase ${phase}`);
  }
}

/** Neutron's PortSecurityPortHasSecurityGroup. */
export class PortSecurityHasSecurityGroupsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortSecurityPortHasSecurityGroup';
  constructor() {
    super('Port has security group associated. Cannot disable port security or ip address until security group is removed');
  }
}
