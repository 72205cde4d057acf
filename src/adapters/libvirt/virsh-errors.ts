import { PermanentAdapterError, TransientAdapterError, type AdapterError } from '../adapter-errors.js';

/**
 * virsh reports a failure as `error: <libvirt's message>` lines on stderr and exits 1; the message
 * starts with the text of libvirt's error code (VIR_ERR_OPERATION_INVALID prints "Requested
 * operation is not valid: ...", VIR_ERR_INVALID_ARG "invalid argument: ...", VIR_ERR_NO_SUPPORT
 * "this function is not supported by the connection driver: ..."). virsh does not print the numeric
 * code, so these patterns, tried in order, stand in for it. Every sample in the unit tests was seen
 * from libvirt 9.0.0 (the test driver through a private libvirtd) unless the test says otherwise.
 */
interface Rule {
  pattern: RegExp;
  make: (message: string) => AdapterError;
}

const permanent = (code: string) => (message: string) => new PermanentAdapterError(code, message);
const transient = (code: string) => (message: string) => new TransientAdapterError(code, message);

const RULES: readonly Rule[] = [
  // The connection never opened or broke: libvirtd down, restarting, or the socket not there yet.
  { pattern: /Failed to connect socket to .*(Connection refused|No such file or directory)/, make: transient('ConnectionRefused') },
  { pattern: /failed to connect to the hypervisor/, make: transient('ConnectionRefused') },
  { pattern: /Disconnected from .* due to|client socket is closed|Cannot (recv|write) data|End of file while reading data|Broken pipe|Connection reset/i, make: transient('ConnectionLost') },
  { pattern: /Timed out during operation|cannot acquire state change lock/i, make: transient('Timeout') },
  // VIR_ERR_NO_DOMAIN: virsh's own lookup message, and libvirt's when the domain vanishes mid-call.
  { pattern: /failed to get domain|Domain not found/, make: permanent('DomainNotFound') },
  // VIR_ERR_INVALID_ARG beyond a maximum: the test driver's and the qemu driver's wordings.
  { pattern: /exceeds maximum|greater than max(imum)? allowable|higher than max(imum)? memory|cannot set memory higher/i, make: permanent('OverMaximum') },
  // VIR_ERR_OPERATION_INVALID on a live change to an inactive domain.
  { pattern: /domain is not running|not running/, make: permanent('DomainNotRunning') },
  // VIR_ERR_NO_SUPPORT, VIR_ERR_ARGUMENT_UNSUPPORTED and unsupported flags.
  { pattern: /not supported by the connection driver|argument unsupported|unsupported flags|are mutually exclusive|Operation not supported/i, make: permanent('NotSupported') },
  // Refused as invalid: by virsh before calling libvirt (0 vCPUs, 0 memory) or by libvirt.
  { pattern: /Can't set 0 processors|must not be zero|invalid argument|Requested operation is not valid|XML error|malformed or out of range|doesn't support option/i, make: permanent('Invalid') },
];

/** The error a failed virsh command stands for; anything unrecognised fails the step (permanent). */
export function classifyVirshFailure(stderr: string, exitCode: number): AdapterError {
  const message = libvirtMessage(stderr) || `virsh exited with ${exitCode} and no message`;
  for (const rule of RULES) if (rule.pattern.test(message)) return rule.make(message);
  return new PermanentAdapterError('LibvirtError', message);
}

/** The `error: ...` lines without their prefix, joined: virsh often prints a summary, then the cause. */
export function libvirtMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const errors = lines.filter((line) => /^error:/i.test(line)).map((line) => line.replace(/^error:\s*/i, ''));
  return (errors.length > 0 ? errors : lines).join('; ');
}
