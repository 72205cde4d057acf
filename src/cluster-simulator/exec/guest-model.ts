import type { ExecBackend } from './exec-backend.js';
import type { ExecPod } from './exec-backend.js';
import type { GuestDomain, GuestDomains } from './guest-domains.js';

type Result = { exitCode: number; stdout: string; stderr: string };
const ok = (stdout: string): Result => ({ exitCode: 0, stdout, stderr: '' });
const error = (message: string): Result => ({ exitCode: 1, stdout: '', stderr: `error: ${message}\n` });

const unitsKiB: Record<string, number> = { b: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024, g: 1024 ** 2, gib: 1024 ** 2, gb: 1e9 / 1024, t: 1024 ** 3, tib: 1024 ** 3 };

/** virsh's scaled integers: a bare number is KiB ("--size 4194304"), or with a unit ("4G", "4096MiB"). */
function parseKiB(text: string): number | null {
  const m = /^(\d+)([a-zA-Z]*)$/.exec(text);
  if (!m) return null;
  const factor = unitsKiB[(m[2] || 'k').toLowerCase()];
  return factor === undefined ? null : Math.round(Number(m[1]) * factor);
}

function dominfo(d: GuestDomain): string {
  const rows: Array<[string, string]> = [
    ['Id', d.state === 'shut off' ? '-' : String(d.id)], ['Name', d.name], ['UUID', d.uuid], ['OS Type', 'hvm'], ['State', d.state],
    ['CPU(s)', String(d.vcpus.current)], ['CPU time', '12.3s'], ['Max memory', `${d.memoryKiB.max} KiB`], ['Used memory', `${d.memoryKiB.current} KiB`],
    ['Persistent', 'no'], ['Autostart', 'disable'], ['Managed save', 'no'], ['Security model', 'none'], ['Security DOI', '0'],
  ];
  return `${rows.map(([k, v]) => `${`${k}:`.padEnd(16)}${v}`).join('\n')}\n\n`;
}

function dumpxml(d: GuestDomain): string {
  return [
    `<domain type='kvm' id='${d.id}'>`,
    `  <name>${d.name}</name>`,
    `  <uuid>${d.uuid}</uuid>`,
    `  <maxMemory slots='16' unit='KiB'>${d.memoryKiB.max}</maxMemory>`,
    `  <memory unit='KiB'>${d.memoryKiB.max}</memory>`,
    `  <currentMemory unit='KiB'>${d.memoryKiB.current}</currentMemory>`,
    `  <vcpu placement='static' current='${d.vcpus.current}'>${d.vcpus.max}</vcpu>`,
    `  <os>`,
    `    <type arch='x86_64' machine='pc-q35-rhel9.6.0'>hvm</type>`,
    `  </os>`,
    `  <cpu mode='host-model'>`,
    `    <topology sockets='${d.vcpus.max}' dies='1' clusters='1' cores='1' threads='1'/>`,
    `  </cpu>`,
    `  <devices>`,
    `    <emulator>/usr/libexec/qemu-kvm</emulator>`,
    `  </devices>`,
    `</domain>`,
    '',
  ].join('\n');
}

const stateText = (d: GuestDomain) => `${d.state}\n\n`;

/** vshPrettyCapacity (libvirt tools/vsh.c): the largest binary unit below which the value stays, three decimals. */
function prettyCapacity(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let unit = 0;
  while (unit < units.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  return `${(bytes / 1024 ** unit).toFixed(3)} ${units[unit]}`;
}

const jobLine = (key: string, value: string) => `${key.padEnd(17)} ${value}`;

/**
 * virsh 9.0's `domjobinfo` (format strings "%-17s %-12s", "%-17s %-12llu ms", "%-17s %-.3lf %s"):
 * the source's outgoing job, the target's incoming one, or "None". Without dirtied pages the data
 * and memory figures are equal and processed plus remaining is the total.
 */
function domjobinfo(d: GuestDomain, node: string | undefined): string {
  const job = d.migrationJob;
  if (!job || d.state === 'shut off') return `${jobLine('Job type:', 'None'.padEnd(12))}\n\n`;
  const sizes: Array<[string, number]> = [
    ['Data processed:', job.memoryProcessedBytes], ['Data remaining:', job.memoryRemainingBytes], ['Data total:', job.memoryTotalBytes],
    ['Memory processed:', job.memoryProcessedBytes], ['Memory remaining:', job.memoryRemainingBytes], ['Memory total:', job.memoryTotalBytes],
  ];
  const lines = [
    jobLine('Job type:', 'Unbounded'.padEnd(12)),
    jobLine('Operation:', node === undefined || node === job.sourceNode ? 'Outgoing migration' : 'Incoming migration'),
    jobLine('Time elapsed:', `${String(Math.max(0, Math.round(Date.now() - job.startedAtMs))).padEnd(12)} ms`),
    ...sizes.map(([key, bytes]) => jobLine(key, prettyCapacity(bytes))),
    jobLine('Page size:', `${'4096'.padEnd(12)} bytes`),
  ];
  return `${lines.join('\n')}\n\n`;
}

/**
 * The default ExecBackend: a guest model that answers the virsh commands the hypervisor adapter
 * sends into a virt-launcher pod's compute container, on the domain of that pod's VMI:
 *   virsh [-q] [-c|--connect URI] [-r] list [--all] [--name]
 *   virsh dominfo DOM | domstate DOM | dumpxml DOM
 *   virsh vcpucount DOM [--live|--config] [--current|--maximum]
 *   virsh setvcpus DOM COUNT [--live] [--config] [--guest]      (1 ≤ COUNT ≤ max vCPUs)
 *   virsh setmem DOM SIZE [--live] [--config]  (SIZE in KiB or with a unit; ≤ max memory)
 *   virsh suspend DOM | resume DOM
 *   virsh domjobinfo DOM                   (a migration's job on its source, see MigrationController)
 * DOM is libvirt's name (<namespace>_<vmi>) or the UUID. Anything else exits 127.
 */
export class GuestModelExecBackend implements ExecBackend {
  constructor(private readonly domains: GuestDomains) {}

  async run(pod: ExecPod, container: string, command: string[]): Promise<Result> {
    if (container !== 'compute') return { exitCode: 127, stdout: '', stderr: `exec: "${command[0]}": executable file not found in $PATH\n` };
    if (command[0] !== 'virsh') return { exitCode: 127, stdout: '', stderr: `exec: "${command[0]}": executable file not found in $PATH\n` };
    const args = [...command.slice(1)];
    // -q/--quiet only drops virsh's informational lines, which this model never prints
    while (args[0] === '-c' || args[0] === '--connect' || args[0] === '-r' || args[0] === '--readonly' || args[0] === '-q' || args[0] === '--quiet' || args[0]?.startsWith('--connect=')) {
      const flag = args.shift()!;
      if (flag === '-c' || flag === '--connect') args.shift();
    }
    const [verb, ...rest] = args;
    const flags = rest.filter((a) => a.startsWith('--'));
    const positional = rest.filter((a) => !a.startsWith('--'));
    const vmiName = pod.labels['vm.kubevirt.io/name'];
    // a launcher pod sees only its own VMI's domain
    const own = (reference: string | undefined) => {
      if (!reference) return undefined;
      const found = this.domains.find(pod.namespace, reference);
      return found && found.vmiName === vmiName ? found : undefined;
    };
    const needDomain = (fn: (d: GuestDomain) => Result): Result => {
      const reference = positional[0] ?? rest.find((a, i) => rest[i - 1] === '--domain');
      const d = own(reference);
      if (!d) return error(`failed to get domain '${reference ?? ''}'`);
      return fn(d);
    };
    switch (verb) {
      case 'list': {
        const mine = this.domains.inNamespace(pod.namespace).filter((d) => d.vmiName === vmiName && (flags.includes('--all') || d.state !== 'shut off'));
        if (flags.includes('--name')) return ok(`${mine.map((d) => d.name).join('\n')}\n\n`);
        const lines = [' Id   Name                                State', '-----------------------------------------------------',
          ...mine.map((d) => ` ${String(d.id).padEnd(4)} ${d.name.padEnd(35)} ${d.state}`)];
        return ok(`${lines.join('\n')}\n\n`);
      }
      case 'dominfo': return needDomain((d) => ok(dominfo(d)));
      case 'domstate': return needDomain((d) => ok(stateText(d)));
      case 'dumpxml': return needDomain((d) => ok(dumpxml(d)));
      case 'domjobinfo': return needDomain((d) => ok(domjobinfo(d, pod.nodeName)));
      case 'vcpucount': return needDomain((d) => {
        if (flags.includes('--maximum')) return ok(`${d.vcpus.max}\n`);
        if (flags.includes('--current')) return ok(`${d.vcpus.current}\n`);
        return ok(`maximum      live       ${d.vcpus.max}\ncurrent      live       ${d.vcpus.current}\n\n`);
      });
      case 'setvcpus': return needDomain((d) => {
        const count = Number(positional[1]);
        if (!Number.isInteger(count) || count < 1) return error('Invalid number of virtual CPUs');
        if (d.state === 'shut off') return error('Requested operation is not valid: domain is not running');
        if (count > d.vcpus.max) return error(`invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: ${count} > ${d.vcpus.max}`);
        d.vcpus.current = count;
        return ok('');
      });
      case 'setmem': return needDomain((d) => {
        const size = parseKiB(positional[1] ?? rest[rest.indexOf('--size') + 1] ?? '');
        if (size === null || size <= 0) return error(`Invalid memory size`);
        if (d.state === 'shut off') return error('Requested operation is not valid: domain is not running');
        if (size > d.memoryKiB.max) return error('invalid argument: cannot set memory higher than max memory');
        d.memoryKiB.current = size;
        return ok('');
      });
      case 'suspend': return needDomain((d) => {
        if (d.state !== 'running') return error('Requested operation is not valid: domain is not running');
        d.state = 'paused';
        return ok(`Domain '${d.name}' suspended\n\n`);
      });
      case 'resume': return needDomain((d) => {
        if (d.state !== 'paused') return error('Requested operation is not valid: domain is not paused');
        d.state = 'running';
        return ok(`Domain '${d.name}' resumed\n\n`);
      });
      default:
        return error(`unknown command: '${verb ?? ''}'`);
    }
  }
}
