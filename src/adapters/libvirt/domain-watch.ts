import { canFollow, type CommandRunner, type FollowedCommand } from '../process/command-runner.js';
import { Watchers } from '../simulation/watchers.js';
import type { DomainResolver } from './domain-resolver.js';
import type { DomainChange, DomainInfo, DomainRef } from './hypervisor.port.js';
import type { Virsh } from './virsh.js';

export interface DomainWatchOptions {
  runner: CommandRunner;
  virsh: Virsh;
  resolver: DomainResolver;
  nodes: readonly string[];
  /** Default 10 s when libvirt's events are followed, 2 s when polling is all there is. */
  pollIntervalMs?: number;
  read(ref: DomainRef): Promise<DomainInfo | null>;
}

const RESTART_EVENTS_MS = 1_000;
/** `virsh event` prints `event 'lifecycle' for domain 'NAME': Started Booted` (optionally after a timestamp). */
const EVENT_LINE = /event '[^']+' for domain '(.+)':/;

/**
 * Domain changes on the watched nodes, as a diff of what was last seen: libvirt's lifecycle events
 * (`virsh event --all --loop`, kept running and restarted when libvirtd goes away) say which domain
 * to re-read; a periodic re-list catches what events cannot (missed while disconnected, or a
 * transport that cannot keep a command running) and size changes, for which libvirt has no event.
 * The first look at a node reports every domain already there as ADDED, like a Kubernetes watch.
 */
export class DomainWatch {
  private readonly watchers = new Watchers<DomainChange>();
  private readonly nodes = new Map<string, NodeWatch>();
  private listeners = 0;

  constructor(private readonly options: DomainWatchOptions) {}

  add(listener: (change: DomainChange) => void): { stop(): void } {
    const handle = this.watchers.add(listener);
    if (this.listeners++ === 0) for (const node of this.options.nodes) this.nodes.set(node, new NodeWatch(node, this.options, (c) => this.watchers.emit(c)));
    let stopped = false;
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        handle.stop();
        if (--this.listeners === 0) this.close();
      },
    };
  }

  /** A state the adapter itself just read back (after a resize); reported if it differs. */
  observe(info: DomainInfo): void {
    this.nodes.get(info.ref.node)?.observe(info);
  }

  close(): void {
    for (const node of this.nodes.values()) node.close();
    this.nodes.clear();
  }
}

class NodeWatch {
  private readonly known = new Map<string, DomainInfo>();
  /** The domstats values each domain had at the last re-list (what makes a full read worth it). */
  private readonly fingerprints = new Map<string, string>();
  private readonly uri: string;
  private events: FollowedCommand | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** Reads and diffs run one at a time, so two reads of one domain cannot report out of order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly node: string,
    private readonly options: DomainWatchOptions,
    private readonly emit: (change: DomainChange) => void,
  ) {
    this.uri = options.resolver.uri(node);
    const follows = canFollow(options.runner);
    if (follows) this.followEvents();
    const interval = options.pollIntervalMs ?? (follows ? 10_000 : 2_000);
    const poll = setInterval(() => this.enqueue(() => this.relist()), interval);
    poll.unref();
    this.timers.add(poll);
    this.enqueue(() => this.relist());
  }

  observe(info: DomainInfo): void {
    this.enqueue(async () => this.diff(info.ref.vmId, info));
  }

  close(): void {
    this.closed = true;
    this.events?.stop();
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
  }

  private followEvents(): void {
    const runner = this.options.runner;
    if (this.closed || !canFollow(runner)) return;
    this.events = runner.follow(
      this.options.virsh.argv(this.uri, ['event', '--all', '--loop']),
      (line) => {
        const name = EVENT_LINE.exec(line)?.[1];
        const vmId = name === undefined ? null : this.options.resolver.vmIdOf(name, this.node);
        if (vmId !== null) this.enqueue(() => this.refresh(vmId));
      },
      () => {
        // libvirtd went away (or never answered): try again, and re-list once the events flow again.
        if (this.closed) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.followEvents();
          this.enqueue(() => this.relist());
        }, RESTART_EVENTS_MS);
        timer.unref();
        this.timers.add(timer);
      },
    );
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.closed ? undefined : work())).catch(() => undefined);
  }

  private async refresh(vmId: string): Promise<void> {
    this.diff(vmId, await this.options.read({ vmId, node: this.node }));
  }

  /**
   * One `virsh domstats` for every domain on the node; only a domain that is new or whose state or
   * sizes moved is read in full. The test driver reports only the state group (it leaves out vcpu
   * and balloon silently), so there a size changed by someone else shows at the next event instead.
   */
  private async relist(): Promise<void> {
    const stats = parseDomstats(await this.options.virsh.run(this.uri, ['domstats', '--state', '--vcpu', '--balloon']));
    const present = new Set<string>();
    for (const [name, fingerprint] of stats) {
      const vmId = this.options.resolver.vmIdOf(name, this.node);
      if (vmId === null) continue;
      present.add(vmId);
      if (this.known.has(vmId) && this.fingerprints.get(vmId) === fingerprint) continue;
      this.diff(vmId, await this.options.read({ vmId, node: this.node }));
      this.fingerprints.set(vmId, fingerprint);
    }
    for (const vmId of [...this.known.keys()]) if (!present.has(vmId)) this.diff(vmId, null);
    for (const vmId of [...this.fingerprints.keys()]) if (!present.has(vmId)) this.fingerprints.delete(vmId);
  }

  private diff(vmId: string, now: DomainInfo | null): void {
    if (this.closed) return;
    const before = this.known.get(vmId);
    if (now === null) {
      if (!before) return;
      this.known.delete(vmId);
      this.emit({ type: 'DELETED', domain: before });
      return;
    }
    this.known.set(vmId, now);
    if (!before) this.emit({ type: 'ADDED', domain: now });
    else if (JSON.stringify(before) !== JSON.stringify(now)) this.emit({ type: 'MODIFIED', domain: now });
  }
}

/** The stats that say a domain changed: its state and sizes, not its counters. */
const FINGERPRINT = new Set(['state.state', 'vcpu.current', 'vcpu.maximum', 'balloon.current', 'balloon.maximum']);

/** `virsh domstats` output (`Domain: 'name'` then indented `key=value` lines) to a fingerprint per domain name. */
export function parseDomstats(text: string): Map<string, string> {
  const domains = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const header = /^Domain: '(.*)'$/.exec(line.trim());
    if (header) {
      current = [];
      domains.set(header[1]!, current);
      continue;
    }
    const [key, value] = line.trim().split('=', 2);
    if (current && key && value !== undefined && FINGERPRINT.has(key)) current.push(`${key}=${value}`);
  }
  return new Map([...domains].map(([name, values]) => [name, values.sort().join(',')]));
}
