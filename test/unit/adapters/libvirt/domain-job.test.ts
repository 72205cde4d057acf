import { PermanentAdapterError } from '../../../../src/adapters/adapter-errors.js';
import { capacityBytes, parseDomjobinfo } from '../../../../src/adapters/libvirt/domain-job.js';
import { migrationPercent } from '../../../../src/handlers/workers/steps/migration-progress.js';
import { LibvirtHypervisor } from '../../../../src/adapters/libvirt/libvirt-hypervisor.js';
import { TemplateDomainResolver } from '../../../../src/adapters/libvirt/domain-resolver.js';
import type { CommandResult, CommandRunner } from '../../../../src/adapters/process/command-runner.js';

/*
 * The samples are virsh 9.0's cmdDomjobinfo lines byte for byte: its format strings (read from the
 * installed /usr/bin/virsh: "%-17s %-12s", "%-17s %-12llu ms", "%-17s %-.3lf %s", "%-17s %-.3lf %s/s",
 * "%-17s %-12llu pages/s", "%-17s %-12llu bytes", "%-17s %-13llu") filled by printf(1) with the
 * figures of a 4 GiB qemu guest in its first pre-copy iteration, trailing spaces included. The
 * libvirt test driver has no job statistics to produce them live.
 */
const OUTGOING = [
  'Job type:         Unbounded   ',
  'Operation:        Outgoing migration',
  'Time elapsed:     4213         ms',
  'Data processed:   1.022 GiB',
  'Data remaining:   2.953 GiB',
  'Data total:       4.009 GiB',
  'Memory processed: 1.018 GiB',
  'Memory remaining: 2.953 GiB',
  'Memory total:     4.009 GiB',
  'Memory bandwidth: 247.637 MiB/s',
  'Dirty rate:       0            pages/s',
  'Page size:        4096         bytes',
  'Iteration:        1           ',
  'Constant pages:   190244       ',
  'Normal pages:     265731       ',
  'Normal data:      1.014 GiB',
  'Expected downtime: 300          ms',
  'Setup time:       14           ms',
  '',
].join('\n');

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe('parseDomjobinfo', () => {
  it('given an outgoing migration in pre-copy, when parsed, then the memory figures are bytes from their units', () => {
    expect(parseDomjobinfo(OUTGOING)).toEqual({
      memoryTotalBytes: Math.round(4.009 * GiB),
      memoryProcessedBytes: Math.round(1.018 * GiB),
      memoryRemainingBytes: Math.round(2.953 * GiB),
    });
  });

  it('given no job ("Job type: None"), when parsed, then there is none', () => {
    expect(parseDomjobinfo('Job type:         None        \n\n')).toBeNull();
  });

  it('given a job that is not an outgoing migration (a dump, the target\'s incoming side), when parsed, then it is not ours', () => {
    expect(parseDomjobinfo(OUTGOING.replace('Outgoing migration', 'Dump'))).toBeNull();
    expect(parseDomjobinfo(OUTGOING.replace('Outgoing migration', 'Incoming migration'))).toBeNull();
  });

  it('given an older virsh without an Operation line, when a running job has memory figures, then it is read as the migration', () => {
    const old = OUTGOING.split('\n').filter((line) => !line.startsWith('Operation:')).join('\n');
    expect(parseDomjobinfo(old)?.memoryTotalBytes).toBe(Math.round(4.009 * GiB));
  });

  it('given a job that has not copied anything yet (virsh leaves out all-zero memory lines), when parsed, then there is nothing to report', () => {
    const starting = ['Job type:         Unbounded   ', 'Operation:        Outgoing migration', 'Time elapsed:     2            ms', ''].join('\n');
    expect(parseDomjobinfo(starting)).toBeNull();
  });

  it('given sizes in every unit vshPrettyCapacity prints, when read, then each scales by 1024', () => {
    expect(capacityBytes('0.000 B', 'x')).toBe(0);
    expect(capacityBytes('512.000 B', 'x')).toBe(512);
    expect(capacityBytes('1.500 KiB', 'x')).toBe(1536);
    expect(capacityBytes('256.000 MiB', 'x')).toBe(256 * MiB);
    expect(capacityBytes('1.250 TiB', 'x')).toBe(1.25 * 1024 * GiB);
  });

  it('given output that is not job info or a size without a unit we know, when parsed, then it fails as a libvirt error rather than guessing', () => {
    expect(() => parseDomjobinfo('Id: 2\nName: x\n')).toThrow(PermanentAdapterError);
    expect(() => parseDomjobinfo(OUTGOING.replace('2.953 GiB\nMemory total', '2.953 GB\nMemory total'))).toThrow(/Memory remaining is not a size/);
  });
});

describe('migrationPercent', () => {
  it('given libvirt\'s figures, when turned into progress, then it is 100 less the share that remains (Nova\'s count), not what was sent', () => {
    expect(migrationPercent(parseDomjobinfo(OUTGOING)!)).toBe(26);
    // pages dirtied again are sent twice: more sent than the guest has, yet a tenth remains
    expect(migrationPercent({ memoryTotalBytes: 4 * GiB, memoryProcessedBytes: 5 * GiB, memoryRemainingBytes: 0.4 * GiB })).toBe(90);
    expect(migrationPercent({ memoryTotalBytes: 0, memoryProcessedBytes: 0, memoryRemainingBytes: 0 })).toBeNull();
  });
});

describe('LibvirtHypervisor.getMigrationJob', () => {
  const resolver = new TemplateDomainResolver({ uriTemplate: 'qemu+tls://{node}/system', nameTemplate: 'ns_vm-{vmId}' });
  const answering = (result: CommandResult) => {
    const calls: string[][] = [];
    const runner: CommandRunner = { run: async (argv) => (calls.push([...argv]), result) };
    return { calls, hypervisor: new LibvirtHypervisor({ runner, resolver }) };
  };

  it('given the source node runs the migration, when its job is read, then virsh domjobinfo names the domain and the figures come back', async () => {
    const { calls, hypervisor } = answering({ exitCode: 0, stdout: OUTGOING, stderr: '' });
    expect(await hypervisor.getMigrationJob({ vmId: 'a', node: 'node-1' })).toMatchObject({ memoryRemainingBytes: Math.round(2.953 * GiB) });
    expect(calls).toEqual([['virsh', '-q', '-c', 'qemu+tls://node-1/system', 'domjobinfo', '--domain', 'ns_vm-a']]);
  });

  it('given the domain left the node or stopped, when its job is read, then there is none', async () => {
    const gone = answering({ exitCode: 1, stdout: '', stderr: "error: failed to get domain 'ns_vm-a'\n" });
    expect(await gone.hypervisor.getMigrationJob({ vmId: 'a', node: 'node-1' })).toBeNull();
    const stopped = answering({ exitCode: 1, stdout: '', stderr: 'error: Requested operation is not valid: domain is not running\n' });
    expect(await stopped.hypervisor.getMigrationJob({ vmId: 'a', node: 'node-1' })).toBeNull();
  });

  it('given a driver without job statistics, when the job is read, then NotSupported', async () => {
    // libvirt 9.0.0's test driver, as virsh prints it
    const { hypervisor } = answering({ exitCode: 1, stdout: '', stderr: 'error: this function is not supported by the connection driver: virDomainGetJobInfo\n' });
    await expect(hypervisor.getMigrationJob({ vmId: 'a', node: 'node-1' })).rejects.toMatchObject({ code: 'NotSupported', retryable: false });
  });
});
