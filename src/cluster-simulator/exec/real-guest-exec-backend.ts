import type { ExecBackend, ExecPod } from './exec-backend.js';
import { GuestDomains } from './guest-domains.js';
import type { RealGuestOptions } from './real-guest-options.js';
import { RealVirsh, type VirshCommands, type VirshResult } from './real-virsh.js';

/** virsh commands that name no domain: they act on the connection. */
const CONNECTION_VERBS = new Set(['list', 'uri', 'version', 'hostname', 'nodeinfo', 'capabilities', 'domcapabilities']);
const notFound = (command: string[]): VirshResult => ({ exitCode: 127, stdout: '', stderr: `exec: "${command[0] ?? ''}": executable file not found in $PATH\n` });

/**
 * The container runtime for launcher pods on the real-guest node: `virsh` in the compute container
 * runs against the real libvirtd (whatever URI the caller gave, as inside a launcher pod there is one
 * libvirt), on that pod's own domain only. Pods on other nodes go to `fallback` (the guest model).
 *
 * The domain is KubeVirt's `<namespace>_<vmi>`, as the hypervisor adapter names it; any other name
 * gets libvirt's "failed to get domain".
 */
export class RealGuestExecBackend implements ExecBackend {
  private readonly virsh: VirshCommands;

  constructor(private readonly options: RealGuestOptions, private readonly fallback: ExecBackend, virsh?: VirshCommands) {
    this.virsh = virsh ?? new RealVirsh(options.uri);
  }

  async run(pod: ExecPod, container: string, command: string[], stdin?: string): Promise<VirshResult> {
    if (pod.nodeName !== this.options.node) return this.fallback.run(pod, container, command, stdin);
    if (container !== 'compute' || command[0] !== 'virsh') return notFound(command);
    const own = GuestDomains.domainName(pod.namespace, pod.labels['vm.kubevirt.io/name'] ?? '');
    const { globals, verb, rest } = splitVirsh(command.slice(1));
    if (!verb) return { exitCode: 1, stdout: '', stderr: 'error: no command given\n' };
    if (CONNECTION_VERBS.has(verb)) {
      const result = await this.virsh.run([...globals, verb, ...rest]);
      return verb === 'list' && result.exitCode === 0 ? { ...result, stdout: onlyOwnRows(result.stdout, own, rest.includes('--name')) } : result;
    }
    const reference = domainArgument(rest);
    if (reference !== null && reference !== own) return { exitCode: 1, stdout: '', stderr: `error: failed to get domain '${reference}'\n` };
    return this.virsh.run([...globals, verb, ...rest]); // with no domain named, virsh itself says what is missing
  }
}

/** virsh's options before the command (the connection's own is dropped: there is one libvirt here). */
function splitVirsh(args: string[]): { globals: string[]; verb: string | undefined; rest: string[] } {
  const globals: string[] = [];
  let i = 0;
  for (; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '--connect') i += 1;
    else if (arg.startsWith('--connect=')) continue;
    else if (arg === '-q' || arg === '--quiet' || arg === '-r' || arg === '--readonly') globals.push(arg);
    else break;
  }
  return { globals, verb: args[i], rest: args.slice(i + 1) };
}

/** The domain the command names: `--domain X`, `--domain=X`, or virsh's first positional argument. */
function domainArgument(rest: string[]): string | null {
  const flag = rest.indexOf('--domain');
  if (flag >= 0 && flag + 1 < rest.length) return rest[flag + 1]!;
  const inline = rest.find((a) => a.startsWith('--domain='));
  if (inline !== undefined) return inline.slice('--domain='.length);
  if (rest.length > 0 && !rest[0]!.startsWith('-')) return rest[0]!;
  return null;
}

/** `virsh list` as the pod sees it: its own domain's row (and the table's header). */
function onlyOwnRows(stdout: string, own: string, namesOnly: boolean): string {
  return stdout
    .split('\n')
    .filter((line) => {
      const cells = line.trim().split(/\s+/);
      if (cells[0] === '' || cells[0] === 'Id' || /^-+$/.test(cells[0]!)) return true;
      return (namesOnly ? cells[0] : cells[1]) === own;
    })
    .join('\n');
}
