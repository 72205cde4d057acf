import { PermanentAdapterError, TransientAdapterError } from '../../../../src/adapters/adapter-errors.js';
import { classifyVirshFailure, libvirtMessage } from '../../../../src/adapters/libvirt/virsh-errors.js';

/**
 * Every stderr below was printed by virsh 9.0.0 (Debian 12) against a private libvirtd hosting the
 * test driver, except where marked as the qemu driver's wording (taken from libvirt's source).
 */
describe('classifyVirshFailure', () => {
  const cases: Array<[string, string, 'transient' | 'permanent', string]> = [
    ['no such domain', "error: failed to get domain 'vp-nope'\n", 'permanent', 'DomainNotFound'],
    ['domain vanished mid-call (libvirt source wording of VIR_ERR_NO_DOMAIN)', "error: Domain not found: no domain with matching name 'vp-x'\n", 'permanent', 'DomainNotFound'],
    ['vCPUs over the maximum (test driver)', 'error: invalid argument: requested cpu amount exceeds maximum (9 > 8)\n', 'permanent', 'OverMaximum'],
    ['vCPUs over the maximum (qemu driver)', 'error: invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: 9 > 8\n', 'permanent', 'OverMaximum'],
    ['memory over the maximum', 'error: invalid argument: cannot set memory higher than max memory\n', 'permanent', 'OverMaximum'],
    ['live change to a shut-off domain', 'error: Requested operation is not valid: domain is not running\n', 'permanent', 'DomainNotRunning'],
    ['shutdown of a shut-off domain', "error: Failed to shutdown domain 'vp-d1'\nerror: internal error: domain 'vp-d1' not running\n", 'permanent', 'DomainNotRunning'],
    ['zero vCPUs (refused by virsh)', "error: Can't set 0 processors for a VM\n", 'permanent', 'Invalid'],
    ['zero memory', 'error: memory in virDomainSetMemoryFlags must not be zero\n', 'permanent', 'Invalid'],
    ['config change to a transient domain', 'error: Requested operation is not valid: transient domains do not have any persistent config\n', 'permanent', 'Invalid'],
    ['a count that is not a number', "error: Numeric value 'abc' for <count> option is malformed or out of range\n", 'permanent', 'Invalid'],
    ['an option virsh does not know', "error: command 'setvcpus' doesn't support option --foo\n", 'permanent', 'Invalid'],
    ['hotplug on the test driver', 'error: Failed to attach interface\nerror: this function is not supported by the connection driver: virDomainAttachDeviceFlags\n', 'permanent', 'NotSupported'],
    ['stats group the driver lacks', 'error: argument unsupported: Stats types bits 0x8 are not supported by this daemon\n', 'permanent', 'NotSupported'],
    ['unsupported flags', "error: Failed to undefine domain 'test'\nerror: unsupported flags (0x4) in function testDomainUndefineFlags\n", 'permanent', 'NotSupported'],
    ['setmem --live --config on the test driver', "error: Flags 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive\n", 'permanent', 'NotSupported'],
    ['daemon down, socket left behind', "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/tmp/vpl-1/run/libvirt-sock': Connection refused\n", 'transient', 'ConnectionRefused'],
    ['daemon not started, no socket', "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/tmp/vpl-1/run/nosock': No such file or directory\n", 'transient', 'ConnectionRefused'],
    ['daemon ended during a call', 'error: Disconnected from test+unix:///default?socket=/tmp/vpl-1/run/libvirt-sock due to end of file\nerror: internal error: client socket is closed\n', 'transient', 'ConnectionLost'],
    ['ssh transport refused (seen by ../shared/docs/real-services.md)', 'error: Cannot recv data: ssh: connect to host 127.0.0.1 port 22: Connection refused\n', 'transient', 'ConnectionLost'],
    ['another job holds the domain (qemu driver)', 'error: Timed out during operation: cannot acquire state change lock (held by monitor=remoteDispatchDomainSetVcpusFlags)\n', 'transient', 'Timeout'],
  ];

  it.each(cases)('given %s, when classified, then it is %s %s', (_what, stderr, kind, code) => {
    const error = classifyVirshFailure(stderr, 1);
    expect(error).toBeInstanceOf(kind === 'transient' ? TransientAdapterError : PermanentAdapterError);
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/^error:/);
  });

  it('given a message no rule knows, when classified, then it fails the step as a permanent LibvirtError with the message', () => {
    const stderr = "error: Failed to define domain from /tmp/bad.xml\nerror: (domain_definition):1: Premature end of data in tag name line 1\n<domain><name>x\n---------------^\n";
    const error = classifyVirshFailure(stderr, 1);
    expect(error).toMatchObject({ code: 'LibvirtError', retryable: false });
    expect(error.message).toBe('Failed to define domain from /tmp/bad.xml; (domain_definition):1: Premature end of data in tag name line 1');
  });

  it('given no output at all, when classified, then the exit code is the message', () => {
    expect(classifyVirshFailure('', 3).message).toBe('virsh exited with 3 and no message');
  });

  it('given stderr without error: prefixes, when its message is taken, then every line is kept', () => {
    expect(libvirtMessage('something odd\nhappened\n')).toBe('something odd; happened');
  });
});
