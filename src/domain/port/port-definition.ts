import { parseIpAddress } from '../ip/ip-address.js';
import { canonicalMac } from '../ip/mac-address.js';
import { InvalidMacAddressError } from '../network/network.errors.js';
import type { CreatePortData } from './port.commands.js';
import { InvalidPortInputError, InvalidVnicTypeError, PortSecurityHasSecurityGroupsError } from './port.errors.js';
import type { FixedIp, PortDefinition } from './port.events.js';
import { isVnicType, VNIC_TYPES, type VnicType } from './vnic-type.js';

export function definePort(input: CreatePortData): PortDefinition {
  const macAddress = canonicalMac(input.macAddress);
  if (!macAddress) throw new InvalidMacAddressError(input.macAddress);
  const port: PortDefinition = {
    portId: input.portId,
    networkId: input.networkId,
    projectId: input.projectId,
    name: checkText('name', input.name ?? ''),
    description: checkText('description', input.description ?? ''),
    adminStateUp: checkFlag('admin_state_up', input.adminStateUp ?? true),
    macAddress,
    fixedIps: checkFixedIps(input.fixedIps ?? []),
    vnicType: checkVnicType(input.vnicType ?? 'normal'),
    deviceOwner: checkText('device_owner', input.deviceOwner ?? ''),
    portSecurityEnabled: checkFlag('port_security_enabled', input.portSecurityEnabled ?? true),
    securityGroups: checkSecurityGroups(input.securityGroups ?? []),
  };
  assertSecurityConsistent(port.portSecurityEnabled, port.securityGroups);
  return port;
}

export function checkText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 255) throw new InvalidPortInputError(`${field} must be a string of at most 255 characters.`);
  return value;
}

export function checkFlag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidPortInputError(`${field} must be true or false.`);
  return value;
}

export function checkVnicType(value: unknown): VnicType {
  if (!isVnicType(value)) throw new InvalidVnicTypeError(value, VNIC_TYPES);
  return value;
}

export function checkSecurityGroups(groups: unknown): string[] {
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string' || g.length === 0)) {
    throw new InvalidPortInputError('security_groups must be a list of security group ids.');
  }
  return [...new Set(groups as string[])];
}

export function assertSecurityConsistent(portSecurityEnabled: boolean, securityGroups: string[]): void {
  if (!portSecurityEnabled && securityGroups.length > 0) throw new PortSecurityHasSecurityGroupsError();
}

/** Canonical addresses, one per IP family and one per subnet: dual stack is one IPv4 and one IPv6 address. */
function checkFixedIps(fixedIps: FixedIp[]): FixedIp[] {
  if (!Array.isArray(fixedIps)) throw new InvalidPortInputError('fixed_ips must be a list.');
  const families = new Set<number>();
  const subnets = new Set<string>();
  return fixedIps.map(({ subnetId, ipAddress }) => {
    const ip = parseIpAddress(ipAddress);
    if (!ip) throw new InvalidPortInputError(`'${ipAddress}' is not a valid IP address.`);
    if (typeof subnetId !== 'string' || !subnetId) throw new InvalidPortInputError(`fixed IP ${ip.text} names no subnet.`);
    if (families.has(ip.version)) throw new InvalidPortInputError(`a port holds one fixed IP per IP family; ${ip.text} is a second IPv${ip.version} address.`);
    if (subnets.has(subnetId)) throw new InvalidPortInputError(`a port holds one fixed IP per subnet; ${subnetId} is named twice.`);
    families.add(ip.version);
    subnets.add(subnetId);
    return { subnetId, ipAddress: ip.text };
  });
}
