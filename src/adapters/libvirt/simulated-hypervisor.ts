import { PermanentAdapterError } from '../adapter-errors.js';
import { CallCounter } from '../simulation/call-counter.js';
import { FaultInjector } from '../simulation/fault-injector.js';
import { delay, latencyOf, type Latency } from '../simulation/latency.js';
import { SimTimers } from '../simulation/sim-timers.js';
import { StateFile } from '../simulation/state-file.js';
import { Watchers } from '../simulation/watchers.js';
import type { DomainDefinition, DomainHost } from './domain-host.js';
import type { DomainChange, DomainInfo, DomainRef, DomainState, HypervisorOperation, HypervisorPort, MigrationJob, ResizeScope } from './hypervisor.port.js';

/** 'api' is each call's round trip; 'guest' how long the guest takes to online CPUs or take memory. */
export type HypervisorStep = 'api' | 'guest';

export interface SimulatedHypervisorOptions {
  latency?: Latency<HypervisorStep>;
  /** Whether guests run an agent that reports their size; default true. */
  guestAgent?: boolean;
  /** Saves the domains (JSON) after every change and loads them at construction. */
  stateFile?: string;
}

interface DomainRecord {
  ref: DomainRef;
  state: DomainState;
  vcpus: { current: number; max: number };
  memoryMiB: { current: number; max: number };
  guest: { vcpusOnline: number; memoryMiB: number };
  /** The persistent config (libvirt's inactive XML); older state files lack it, so it is optional. */
  config?: { vcpus: number; memoryMiB: number };
  /** The outgoing migration libvirt runs for it, as the cluster simulation reports it. */
  job?: MigrationJob;
}

interface SimulatedHypervisorState {
  domains: DomainRecord[];
  calls: Record<string, number>;
  effects: Record<string, number>;
}

const domainKey = (ref: DomainRef): string => `${ref.node}/${ref.vmId}`;
const LIVE: readonly DomainState[] = ['running', 'paused', 'blocked'];

/**
 * libvirt on every node, in process: one domain per running VM with a guest that follows live
 * vCPU and memory changes after a delay, like Nova's fake virt driver. The cluster simulation (or a
 * test) tells it about domains through DomainHost. `calls` counts per operation and per
 * 'node/vmId'; `effects` counts applied changes ('setVcpus', 'setMemory') per vmId.
 */
export class SimulatedHypervisor implements HypervisorPort, DomainHost {
  readonly faults = new FaultInjector<HypervisorOperation>();
  readonly calls: CallCounter;
  readonly effects: CallCounter;
  private readonly domains = new Map<string, DomainRecord>();
  private readonly timers = new SimTimers();
  private readonly watchers = new Watchers<DomainChange>();
  private readonly stateFile: StateFile<SimulatedHypervisorState> | undefined;

  constructor(private readonly options: SimulatedHypervisorOptions = {}) {
    this.stateFile = options.stateFile ? new StateFile(options.stateFile) : undefined;
    const saved = this.stateFile?.load();
    for (const domain of saved?.domains ?? []) this.domains.set(domainKey(domain.ref), domain);
    this.calls = new CallCounter(saved?.calls);
    this.effects = new CallCounter(saved?.effects);
    for (const domain of this.domains.values()) this.followGuest(domain);
  }

  getDomain(ref: DomainRef): Promise<DomainInfo | null> {
    return this.call('getDomain', ref, () => {
      const domain = this.domains.get(domainKey(ref));
      return domain ? this.info(domain) : null;
    });
  }

  setVcpus(ref: DomainRef, count: number, scope: ResizeScope = 'live'): Promise<void> {
    return this.call('setVcpus', ref, () => {
      const domain = this.domainFor(ref, count, 'vCPUs', scope);
      if (count > domain.vcpus.max) {
        throw new PermanentAdapterError('OverMaximum', `requested vcpus ${count} is greater than max allowable vcpus for the domain: ${domain.vcpus.max}`);
      }
      const config = configOf(domain);
      const live = scope !== 'config' && domain.vcpus.current !== count;
      const persistent = scope !== 'live' && config.vcpus !== count;
      if (!live && !persistent) return;
      if (live) domain.vcpus.current = count;
      if (persistent) domain.config = { ...config, vcpus: count };
      this.effects.record('setVcpus', ref.vmId);
      this.changed('MODIFIED', domain);
    });
  }

  setMemory(ref: DomainRef, memoryMiB: number, scope: ResizeScope = 'live'): Promise<void> {
    return this.call('setMemory', ref, () => {
      const domain = this.domainFor(ref, memoryMiB, 'memory', scope);
      if (memoryMiB > domain.memoryMiB.max) {
        throw new PermanentAdapterError('OverMaximum', `cannot set memory higher than max memory (${memoryMiB} > ${domain.memoryMiB.max} MiB)`);
      }
      const config = configOf(domain);
      const live = scope !== 'config' && domain.memoryMiB.current !== memoryMiB;
      const persistent = scope !== 'live' && config.memoryMiB !== memoryMiB;
      if (!live && !persistent) return;
      if (live) domain.memoryMiB.current = memoryMiB;
      if (persistent) domain.config = { ...config, memoryMiB };
      this.effects.record('setMemory', ref.vmId);
      this.changed('MODIFIED', domain);
    });
  }

  /** A minimal libvirt domain XML (the elements the real adapter reads), so callers can parse both alike. */
  getDomainXml(ref: DomainRef, which: 'live' | 'config'): Promise<string | null> {
    return this.call('getDomainXml', ref, () => {
      const domain = this.domains.get(domainKey(ref));
      if (!domain) return null;
      const config = configOf(domain);
      const live = which === 'live' && LIVE.includes(domain.state);
      const vcpus = live ? domain.vcpus.current : config.vcpus;
      const memoryMiB = live ? domain.memoryMiB.current : config.memoryMiB;
      return [
        `<domain type='sim'${live ? " id='1'" : ''}>`,
        `  <name>${ref.vmId}</name>`,
        `  <memory unit='KiB'>${domain.memoryMiB.max * 1024}</memory>`,
        `  <currentMemory unit='KiB'>${memoryMiB * 1024}</currentMemory>`,
        `  <vcpu placement='static' current='${vcpus}'>${domain.vcpus.max}</vcpu>`,
        '</domain>',
        '',
      ].join('\n');
    });
  }

  getMigrationJob(ref: DomainRef): Promise<MigrationJob | null> {
    return this.call('getMigrationJob', ref, () => {
      const domain = this.domains.get(domainKey(ref));
      return domain?.job && LIVE.includes(domain.state) ? { ...domain.job } : null;
    });
  }

  watchDomains(listener: (change: DomainChange) => void): { stop(): void } {
    return this.watchers.add(listener);
  }

  // --- DomainHost: what virt-launcher does on the node ---------------------------------------------

  defineDomain(definition: DomainDefinition): void {
    const domain: DomainRecord = {
      ref: { ...definition.ref },
      state: definition.state ?? 'running',
      vcpus: { ...definition.vcpus },
      memoryMiB: { ...definition.memoryMiB },
      guest: { vcpusOnline: definition.vcpus.current, memoryMiB: definition.memoryMiB.current },
      config: { vcpus: definition.vcpus.current, memoryMiB: definition.memoryMiB.current },
    };
    const existed = this.domains.has(domainKey(domain.ref));
    this.domains.set(domainKey(domain.ref), domain);
    this.changed(existed ? 'MODIFIED' : 'ADDED', domain);
  }

  setDomainState(ref: DomainRef, state: DomainState): void {
    const domain = this.domains.get(domainKey(ref));
    if (!domain || domain.state === state) return;
    domain.state = state;
    // A guest that stops ends whatever job libvirt ran for it.
    if (!LIVE.includes(state)) delete domain.job;
    this.changed('MODIFIED', domain);
  }

  /** libvirt emits no domain event for a job's progress, so watchers hear nothing. */
  setMigrationJob(ref: DomainRef, job: MigrationJob | null): void {
    const domain = this.domains.get(domainKey(ref));
    if (!domain) return;
    if (job) domain.job = { ...job };
    else delete domain.job;
    this.save();
  }

  undefineDomain(ref: DomainRef): void {
    const domain = this.domains.get(domainKey(ref));
    if (!domain) return;
    this.domains.delete(domainKey(ref));
    this.timers.cancel(domainKey(ref));
    this.save();
    this.watchers.emit({ type: 'DELETED', domain: this.info(domain) });
  }

  close(): void {
    this.timers.clear();
    this.faults.clear();
  }

  // ---------------------------------------------------------------------------------------------------

  private async call<T>(operation: HypervisorOperation, ref: DomainRef, run: () => T): Promise<T> {
    this.calls.record(operation, domainKey(ref));
    return this.faults.intercept(operation, domainKey(ref), async () => {
      await delay(latencyOf(this.options.latency, 'api'));
      return run();
    });
  }

  private domainFor(ref: DomainRef, amount: number, what: string, scope: ResizeScope): DomainRecord {
    const domain = this.domains.get(domainKey(ref));
    if (!domain) throw new PermanentAdapterError('DomainNotFound', `Domain not found: no domain for VM ${ref.vmId} on ${ref.node}`);
    if (!Number.isInteger(amount) || amount < 1) throw new PermanentAdapterError('Invalid', `${what} must be a positive integer, got ${amount}`);
    if (scope !== 'config' && !LIVE.includes(domain.state)) {
      throw new PermanentAdapterError('DomainNotRunning', `Requested operation is not valid: domain is not running (${domain.state})`);
    }
    return domain;
  }

  private changed(type: DomainChange['type'], domain: DomainRecord): void {
    this.save();
    this.watchers.emit({ type, domain: this.info(domain) });
    this.followGuest(domain);
  }

  /** The guest catches up with libvirt's view of its size one step later (CPUs online, balloon). */
  private followGuest(domain: DomainRecord): void {
    const { guest } = domain;
    if (guest.vcpusOnline === domain.vcpus.current && guest.memoryMiB === domain.memoryMiB.current) return;
    const key = domainKey(domain.ref);
    this.timers.schedule(key, latencyOf(this.options.latency, 'guest'), () => {
      if (this.domains.get(key) !== domain) return;
      guest.vcpusOnline = domain.vcpus.current;
      guest.memoryMiB = domain.memoryMiB.current;
      this.changed('MODIFIED', domain);
    });
  }

  private info(domain: DomainRecord): DomainInfo {
    return {
      ref: { ...domain.ref },
      state: domain.state,
      vcpus: { ...domain.vcpus },
      memoryMiB: { ...domain.memoryMiB },
      persistent: configOf(domain),
      guest: this.options.guestAgent === false || !LIVE.includes(domain.state) ? null : { ...domain.guest },
    };
  }

  private save(): void {
    this.stateFile?.save({ domains: [...this.domains.values()], calls: this.calls.toJSON(), effects: this.effects.toJSON() });
  }
}

/** A domain saved before the config was modelled boots with the size it had. */
function configOf(domain: DomainRecord): { vcpus: number; memoryMiB: number } {
  return domain.config ?? { vcpus: domain.vcpus.current, memoryMiB: domain.memoryMiB.current };
}
