import { DomainError } from '../shared/domain-error.js';

/** Messages follow Neutron's exceptions (neutron_lib/exceptions) where Neutron has one. */

export class SubnetNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'SubnetNotFound';
  constructor(readonly subnetId: string) {
    super(`Subnet ${subnetId} could not be found.`);
  }
}

export class SubnetExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'SubnetExists';
  constructor(readonly subnetId: string) {
    super(`Subnet ${subnetId} already exists.`);
  }
}

/** A malformed or contradictory subnet field (Neutron's InvalidInput, 400). */
export class InvalidSubnetInputError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidInput';
  constructor(reason: string) {
    super(`Invalid input for operation: ${reason}`);
  }
}

export class InvalidAllocationPoolError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidAllocationPool';
  constructor(readonly pool: string, reason: string) {
    super(`The allocation pool ${pool} ${reason}.`);
  }
}

export class OverlappingAllocationPoolsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'OverlappingAllocationPools';
  constructor(readonly pool1: string, readonly pool2: string, readonly subnetCidr: string) {
    super(`Found overlapping allocation pools: ${pool1} and ${pool2} for subnet ${subnetCidr}.`);
  }
}

export class GatewayConflictWithAllocationPoolsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'GatewayConflictWithAllocationPools';
  constructor(readonly ipAddress: string, readonly pool: string) {
    super(`Gateway ip ${ipAddress} conflicts with allocation pool ${pool}.`);
  }
}

export class GatewayIpInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'GatewayIpInUse';
  constructor(readonly ipAddress: string, readonly portId: string) {
    super(`Current gateway ip ${ipAddress} already in use by port ${portId}. Unable to update.`);
  }
}

/** An update would exclude an address a port holds. */
export class ExcludedIpInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'ExcludedIpInUse';
  constructor(readonly ipAddress: string, readonly portId: string) {
    super(`IP address ${ipAddress} is allocated to port ${portId} and cannot be excluded.`);
  }
}

export class InvalidIpAddressError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidIpAddress';
  constructor(readonly ipAddress: string) {
    super(`Invalid input for fixed_ips. Reason: '${ipAddress}' is not a valid IP address.`);
  }
}

/** Outside the subnet's CIDR, or of the other IP version. */
export class IpNotInSubnetError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidIpForSubnet';
  constructor(readonly ipAddress: string, readonly subnetId: string) {
    super(`IP address ${ipAddress} is not a valid IP for the specified subnet.`);
  }
}

export class IpIsNetworkAddressError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'IpIsNetworkAddress';
  constructor(readonly ipAddress: string, readonly subnetId: string) {
    super(`IP address ${ipAddress} is the network address of subnet ${subnetId} and cannot be assigned to a port.`);
  }
}

export class IpIsBroadcastAddressError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'IpIsBroadcastAddress';
  constructor(readonly ipAddress: string, readonly subnetId: string) {
    super(`IP address ${ipAddress} is the broadcast address of subnet ${subnetId} and cannot be assigned to a port.`);
  }
}

/** The gateway belongs to the router (Kube-OVN's logical router port), never to a port of ours. */
export class IpIsGatewayError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'IpIsGateway';
  constructor(readonly ipAddress: string, readonly subnetId: string) {
    super(`IP address ${ipAddress} is the gateway of subnet ${subnetId}.`);
  }
}

export class IpExcludedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'IpAddressExcluded';
  constructor(readonly ipAddress: string, readonly subnetId: string) {
    super(`IP address ${ipAddress} is excluded from allocation in subnet ${subnetId}.`);
  }
}

export class IpAddressAlreadyAllocatedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'IpAddressAlreadyAllocated';
  constructor(readonly ipAddress: string, readonly subnetId: string) {
    super(`IP address ${ipAddress} already allocated in subnet ${subnetId}`);
  }
}

export class IpAddressGenerationFailureError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'IpAddressGenerationFailure';
  constructor(readonly networkId: string, readonly subnetId: string) {
    super(`No more IP addresses available on network ${networkId}.`);
  }
}

export class SubnetInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'SubnetInUse';
  constructor(readonly subnetId: string) {
    super(`Unable to complete operation on subnet ${subnetId}: One or more ports have an IP allocation from this subnet.`);
  }
}
