import { PermanentAdapterError, TransientAdapterError } from '../adapter-errors.js';
import type { CommandRunner } from '../process/command-runner.js';
import type { DomainResolver } from './domain-resolver.js';
import { parseDomjobinfo } from './domain-job.js';
import { DomainWatch } from './domain-watch.js';
import { parseDomainXml } from './domain-xml.js';
import type { DomainChange, DomainInfo, DomainRef, DomainState, HypervisorPort, MigrationJob, ResizeScope } from './hypervisor.port.js';
import { Virsh, type VirshOptions } from './virsh.js';

export interface LibvirtHypervisorOptions extends VirshOptions {
  /** Carries each virsh command: a local process for hosts reached by URI; also runs the watch. */
  runner: CommandRunner;
  /**
   * The transport for one VM's calls when it differs per VM: Kubernetes exec into that VM's launcher
   * pod, where libvirt lives. Default: `runner`.
   */
  runnerFor?: (ref: DomainRef) => CommandRunner;
  resolver: DomainResolver;
  /** The nodes `watchDomains` follows; a watch without nodes reports nothing. */
  watchNodes?: readonly string[];
  /** How often a watch re-lists every domain (the only source when the transport cannot follow events). */
  pollIntervalMs?: number;
  /**
   * How long a size change may take to read back before it counts as not applied (default 2000 ms,
   * read every 100 ms): libvirt reports a balloon's current size while the guest is still giving
   * pages back or taking them, so the first read after `setmem` can be on the way.
   */
  readBackSettleMs?: number;
}

const LIVE_STATES: readonly DomainState[] = ['running', 'paused', 'blocked'];

/** `virsh dominfo`'s State line (virDomainStateToString in the C locale) to our state names. */
const STATES: Record<string, DomainState> = {
  running: 'running',
  idle: 'blocked',
  paused: 'paused',
  'in shutdown': 'shutdown',
  'shut off': 'shutoff',
  crashed: 'crashed',
  pmsuspended: 'pmsuspended',
};

/**
 * The hypervisor port on libvirt, spoken through virsh: `virsh -c <uri>` with the domain XML parsed.
 * virsh rather than libvirt's RPC protocol because the same command line runs unchanged through
 * every transport (a local process for hosts we reach by URI, Kubernetes exec into a KubeVirt
 * launcher pod where libvirt listens only on a unix socket inside the pod), because libvirt calls
 * its RPC protocol internal and subject to change, and because virsh brings libvirt's own
 * authentication and TLS. The cost is a process per call (see bench/RESULTS.md).
 *
 * Every change reads first and acts only when needed, then reads back: "ensure N vCPUs" is safe to
 * repeat after a lost reply. libvirt emits no event for vCPU or memory changes, so the adapter
 * reports its own read-back to watchers.
 */
export class LibvirtHypervisor implements HypervisorPort {
  private readonly virsh: Virsh;
  private readonly watch: DomainWatch;

  constructor(private readonly options: LibvirtHypervisorOptions) {
    this.virsh = new Virsh(options.runner, options);
    this.watch = new DomainWatch({
      runner: options.runner,
      virsh: this.virsh,
      resolver: options.resolver,
      nodes: options.watchNodes ?? [],
      pollIntervalMs: options.pollIntervalMs,
      read: (ref) => this.getDomain(ref),
    });
  }

  /**
   * Two virsh calls: `dominfo` (virDomainGetInfo: state, live vCPUs, live and maximum memory,
   * persistence) and `dumpxml --inactive` (the persistent config, and the vCPU maximum, which libvirt
   * changes only there). For a transient domain the inactive XML is its live definition.
   */
  async getDomain(ref: DomainRef): Promise<DomainInfo | null> {
    // A VM the resolver cannot find has no domain either.
    const located = await this.orNull(this.locate(ref));
    if (located === null) return null;
    const { uri, name, virsh } = located;
    // Both at once: each is a process and a connection, and neither depends on the other.
    const [info, configXml] = await Promise.all([
      this.orNull(virsh.run(uri, ['dominfo', '--domain', name])),
      this.orNull(virsh.run(uri, ['dumpxml', '--inactive', '--domain', name])),
    ]);
    if (info === null || configXml === null) return null;
    const fields = parseDominfo(info);
    const stateText = fields.get('State') ?? '';
    const state = STATES[stateText];
    if (!state) throw new PermanentAdapterError('LibvirtError', `libvirt reports domain ${name} in an unknown state "${stateText}"`);
    const config = parseDomainXml(configXml);
    return {
      ref: { ...ref },
      state,
      vcpus: { current: count(fields, 'CPU(s)', name), max: config.vcpus.max },
      memoryMiB: { current: toMiB(kibField(fields, 'Used memory', name)), max: toMiB(kibField(fields, 'Max memory', name)) },
      persistent: fields.get('Persistent') === 'yes' ? { vcpus: config.vcpus.current, memoryMiB: toMiB(config.memoryKiB.current) } : null,
      // The guest's own view needs the QEMU guest agent (virsh guestinfo), which neither the test
      // driver nor every guest has; null says "not known", as the port allows.
      guest: null,
    };
  }

  async getDomainXml(ref: DomainRef, which: 'live' | 'config'): Promise<string | null> {
    const located = await this.orNull(this.locate(ref));
    if (located === null) return null;
    const { uri, name, virsh } = located;
    return this.orNull(virsh.run(uri, ['dumpxml', ...(which === 'config' ? ['--inactive'] : []), '--domain', name]));
  }

  /**
   * `virsh domjobinfo` (virDomainGetJobStats) on the node's domain: during a KubeVirt migration the
   * source launcher pod's libvirt runs the outgoing job. A job that ends between two calls is simply
   * not there any more (null), as is the domain once the guest moved.
   */
  async getMigrationJob(ref: DomainRef): Promise<MigrationJob | null> {
    const located = await this.orNull(this.locate(ref));
    if (located === null) return null;
    const { uri, name, virsh } = located;
    try {
      return parseDomjobinfo(await virsh.run(uri, ['domjobinfo', '--domain', name]));
    } catch (error) {
      // qemu refuses job info for a domain that is not running: it has no job either.
      if (error instanceof PermanentAdapterError && (error.code === 'DomainNotFound' || error.code === 'DomainNotRunning')) return null;
      throw error;
    }
  }

  setVcpus(ref: DomainRef, count: number, scope: ResizeScope = 'live'): Promise<void> {
    return this.ensure(ref, count, scope, 'vCPUs', {
      live: (info) => info.vcpus.current,
      config: (info) => info.persistent?.vcpus,
      command: (name, flags) => ['setvcpus', '--domain', name, '--count', String(count), ...flags],
    });
  }

  setMemory(ref: DomainRef, memoryMiB: number, scope: ResizeScope = 'live'): Promise<void> {
    return this.ensure(ref, memoryMiB, scope, 'memory', {
      live: (info) => info.memoryMiB.current,
      config: (info) => info.persistent?.memoryMiB,
      // virsh's size without a suffix is KiB; saying so keeps the unit independent of virsh's default.
      command: (name, flags) => ['setmem', '--domain', name, '--size', `${memoryMiB * 1024}KiB`, ...flags],
    });
  }

  watchDomains(listener: (change: DomainChange) => void): { stop(): void } {
    return this.watch.add(listener);
  }

  /** Stops every watch's processes and timers. */
  close(): void {
    this.watch.close();
  }

  private async ensure(
    ref: DomainRef,
    amount: number,
    scope: ResizeScope,
    what: string,
    size: { live: (info: DomainInfo) => number; config: (info: DomainInfo) => number | undefined; command: (name: string, flags: string[]) => string[] },
  ): Promise<void> {
    const before = await this.getDomain(ref);
    const { uri, name, virsh } = await this.locate(ref);
    if (!before) throw new PermanentAdapterError('DomainNotFound', `Domain not found: no domain ${name} for VM ${ref.vmId} on ${ref.node}`);
    if (!Number.isInteger(amount) || amount < 1) throw new PermanentAdapterError('Invalid', `${what} must be a positive integer, got ${amount}`);
    const wantLive = scope !== 'config';
    if (wantLive && !LIVE_STATES.includes(before.state)) {
      throw new PermanentAdapterError('DomainNotRunning', `Requested operation is not valid: domain is not running (${before.state})`);
    }
    const flags: string[] = [];
    if (wantLive && size.live(before) !== amount) flags.push('--live');
    // A transient domain has no config (undefined): ask anyway and let libvirt refuse it.
    if (scope !== 'live' && size.config(before) !== amount) flags.push('--config');
    if (flags.length === 0) return;
    // One flag per command: the test driver's setmem refuses --live with --config ("Flags
    // 'VIR_DOMAIN_AFFECT_LIVE' and 'VIR_DOMAIN_AFFECT_CONFIG' are mutually exclusive") where qemu's
    // accepts both; two commands work on every driver, and a retry after a failure between them
    // finds the first done and does only the second.
    for (const flag of flags) await virsh.run(uri, size.command(name, [flag]));
    const isApplied = (info: DomainInfo) => (!wantLive || size.live(info) === amount) && (scope === 'live' || size.config(info) === amount);
    const settleBy = Date.now() + (this.options.readBackSettleMs ?? 2000);
    let after = await this.getDomain(ref);
    while (after && !isApplied(after) && Date.now() < settleBy) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await this.getDomain(ref);
    }
    if (!after) throw new PermanentAdapterError('DomainNotFound', `Domain ${name} went away while its ${what} changed`);
    if (!isApplied(after)) {
      throw new TransientAdapterError('NotApplied', `libvirt accepted ${what} ${amount} for ${name} but reads back live ${size.live(after)}, config ${size.config(after)}`);
    }
    this.watch.observe(after);
  }

  private async locate(ref: DomainRef): Promise<{ uri: string; name: string; virsh: Virsh }> {
    const virsh = this.options.runnerFor ? new Virsh(this.options.runnerFor(ref), this.options) : this.virsh;
    return { uri: this.options.resolver.uri(ref.node), name: await this.options.resolver.domainName(ref), virsh };
  }

  private async orNull<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof PermanentAdapterError && error.code === 'DomainNotFound') return null;
      throw error;
    }
  }
}

/** `Key:   value` lines. */
export function parseDominfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return fields;
}

const toMiB = (kib: number): number => Math.floor(kib / 1024);

function count(fields: Map<string, string>, key: string, name: string): number {
  const value = Number(fields.get(key));
  if (!Number.isInteger(value)) throw new PermanentAdapterError('LibvirtError', `virsh dominfo ${name} has no ${key} (got "${fields.get(key)}")`);
  return value;
}

/** dominfo prints memory as `2097152 KiB`. */
function kibField(fields: Map<string, string>, key: string, name: string): number {
  const match = /^(\d+) KiB$/.exec(fields.get(key) ?? '');
  if (!match) throw new PermanentAdapterError('LibvirtError', `virsh dominfo ${name} has no ${key} in KiB (got "${fields.get(key)}")`);
  return Number(match[1]);
}
