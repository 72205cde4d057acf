import { PermanentAdapterError } from '../adapter-errors.js';
import type { VmSpec } from './cluster.port.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IMAGE = /^(docker|oci-archive):\/\/\S+$/;

/** What the API server's validation (422) would refuse, checked before anything is created. */
export function validateVmSpec(spec: VmSpec): void {
  const problems: string[] = [];
  if (!DNS_LABEL.test(spec.ref.namespace) || spec.ref.namespace.length > 63) problems.push(`namespace "${spec.ref.namespace}" is not a DNS-1123 label`);
  if (!DNS_LABEL.test(spec.ref.name) || spec.ref.name.length > 63) problems.push(`name "${spec.ref.name}" is not a DNS-1123 label`);
  if (!spec.vmId) problems.push('vmId is empty');
  const { sockets, maxSockets } = spec.cpu;
  if (!Number.isInteger(sockets) || sockets < 1) problems.push('cpu.sockets must be a positive integer');
  if (!Number.isInteger(maxSockets) || maxSockets < sockets) problems.push('cpu.maxSockets must be an integer not below sockets');
  const { guestMiB, maxGuestMiB } = spec.memory;
  if (!Number.isInteger(guestMiB) || guestMiB < 1) problems.push('memory.guestMiB must be a positive integer');
  if (!Number.isInteger(maxGuestMiB) || maxGuestMiB < guestMiB) problems.push('memory.maxGuestMiB must be an integer not below guestMiB');
  if (!IMAGE.test(spec.image)) problems.push(`image "${spec.image}" is not a docker:// or oci-archive:// reference`);
  if (problems.length > 0) throw new PermanentAdapterError('Invalid', `VirtualMachine ${spec.ref.namespace}/${spec.ref.name} is invalid: ${problems.join('; ')}`);
}
