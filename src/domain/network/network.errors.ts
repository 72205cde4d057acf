import { DomainError } from '../shared/domain-error.js';

export class NetworkNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'NetworkNotFound';
  constructor(readonly networkId: string) {
    super(`Network ${networkId} could not be found.`);
  }
}

export class NetworkExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'NetworkExists';
  constructor(readonly networkId: string) {
    super(`Network ${networkId} already exists.`);
  }
}

export class InvalidNetworkInputError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidInput';
  constructor(reason: string) {
    super(`Invalid input for operation: ${reason}`);
  }
}

/** Neutron's NetworkInUse: ports (MACs reserved) remain. */
export class NetworkInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'NetworkInUse';
  constructor(readonly networkId: string) {
    super(`Unable to complete operation on network ${networkId}. There are one or more ports still in use on the network.`);
  }
}

/** Subnets remain (Neutron deletes them with the network; here they are deleted first, each refusing while it has allocations). */
export class NetworkHasSubnetsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'NetworkHasSubnets';
  constructor(readonly networkId: string, readonly subnetIds: string[]) {
    super(`Unable to complete operation on network ${networkId}. There are one or more subnets still on the network: ${subnetIds.join(', ')}.`);
  }
}

/** One subnet per IP version: the network is one Kube-OVN logical switch, whose cidrBlock holds one CIDR per family. */
export class SubnetVersionTakenError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'SubnetVersionTaken';
  constructor(readonly networkId: string, readonly ipVersion: number, readonly existingSubnetId: string) {
    super(`Network ${networkId} already has an IPv${ipVersion} subnet (${existingSubnetId}); a network holds one subnet per IP version (dual stack: one IPv4 and one IPv6).`);
  }
}

/** Neutron's MacAddressInUse. */
export class MacAddressInUseError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'MacAddressInUse';
  constructor(readonly networkId: string, readonly macAddress: string) {
    super(`Unable to complete operation for network ${networkId}. The mac address ${macAddress} is in use.`);
  }
}

export class InvalidMacAddressError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidMacAddress';
  constructor(readonly macAddress: string) {
    super(`Invalid input for mac_address. Reason: '${macAddress}' is not a valid MAC address.`);
  }
}

/** Neutron's InvalidSharedSetting: a network other projects use cannot stop being shared. */
export class InvalidSharedSettingError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'InvalidSharedSetting';
  constructor(readonly networkId: string) {
    super(`Unable to reconfigure sharing settings for network ${networkId}. Multiple tenants are using it.`);
  }
}
