import { ApiError } from '../api-errors.js';
import type { KubeObject } from '../store/kube-object.js';
import type { AdmissionRequest } from '../store/resource-service.js';

/** One address Kube-OVN holds for an owner on a provider (a VM keeps its address: keep-vm-ip). */
export interface Allocation {
  owner: string;
  provider: string;
  ip: string;
  mac: string;
}

const ipKey = /^(.+)\.kubernetes\.io\/ip_address(\.[^.]+)?$/;

/** A VM's launcher pods share one owner (the VM), so migration targets keep the address. */
export function ownerOf(pod: KubeObject): string {
  const vm = pod.metadata.labels?.['vm.kubevirt.io/name'];
  return vm ? `vm:${pod.metadata.namespace}/${vm}` : `pod:${pod.metadata.namespace}/${pod.metadata.name}`;
}

const toInt = (ip: string) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/**
 * Kube-OVN's address management as the simulator needs it: fixed addresses from annotations are
 * honoured and checked for conflicts (its pod webhook refuses a duplicate), others come from the
 * provider's subnet; addresses stay with their VM across restarts and migrations.
 */
export class KubeOvnIpam {
  private allocations: Allocation[] = [];

  constructor(private readonly random: () => number) {}

  all(): Allocation[] {
    return this.allocations.map((a) => ({ ...a }));
  }

  restore(allocations: Allocation[]): void {
    this.allocations = allocations.map((a) => ({ ...a }));
  }

  clear(): void {
    this.allocations = [];
  }

  find(owner: string, provider: string): Allocation | undefined {
    return this.allocations.find((a) => a.owner === owner && a.provider === provider);
  }

  /**
   * The address for owner on provider: the fixed one when given, the one it holds, or the next free
   * IPv4 one in the cidrBlock ("v4", or "v4,v6" of a dual-stack Subnet) outside excludeIps.
   */
  allocate(owner: string, provider: string, cidr: string, fixedIp?: string, fixedMac?: string, excludeIps: string[] = []): Allocation {
    const held = this.find(owner, provider);
    if (held && (!fixedIp || held.ip === fixedIp)) {
      if (fixedMac) held.mac = fixedMac;
      return { ...held };
    }
    if (held) this.allocations = this.allocations.filter((a) => a !== held);
    const ip = fixedIp ?? this.nextFree(provider, cidr, excludeIps);
    const allocation = { owner, provider, ip, mac: fixedMac ?? this.randomMac() };
    this.allocations.push(allocation);
    return { ...allocation };
  }

  /** Releases what owners that no longer exist held. */
  releaseUnless(exists: (owner: string) => boolean): void {
    this.allocations = this.allocations.filter((a) => exists(a.owner));
  }

  /** The pod webhook (pod-ip-validating.kube-ovn.io): a fixed address another owner holds is refused. */
  admitPod(request: AdmissionRequest): void {
    if (request.type.plural !== 'pods' || request.operation !== 'CREATE') return;
    const owner = ownerOf(request.object);
    for (const [key, value] of Object.entries(request.object.metadata.annotations ?? {})) {
      const m = ipKey.exec(key);
      if (!m) continue;
      const provider = m[1]!;
      for (const ip of value.split(',')) {
        const holder = this.allocations.find((a) => a.provider === provider && a.ip.split(',').includes(ip) && a.owner !== owner);
        if (holder) {
          throw new ApiError(403, 'Forbidden', `admission webhook "pod-ip-validating.kube-ovn.io" denied the request: annotation ip address ${ip} is conflict with ip crd ${holder.owner.replace(/^(vm|pod):([^/]+)\/(.+)$/, '$3.$2')}, ip ${ip}`);
        }
      }
    }
  }

  private nextFree(provider: string, cidrBlock: string, excludeIps: string[]): string {
    const cidr = cidrBlock.split(',').find((c) => !c.includes(':'));
    if (!cidr) throw new Error(`subnet ${cidrBlock} of ${provider} has no IPv4 block to pick from; give the address`);
    const [base, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = toInt(base!);
    const used = new Set(this.allocations.filter((a) => a.provider === provider).flatMap((a) => a.ip.split(',')));
    const excluded = excludeIps.filter((e) => !e.includes(':')).map((e) => {
      const [from, to] = e.split('..');
      return [toInt(from!), toInt(to ?? from!)] as const;
    });
    // skip the network address and the gateway (.1)
    for (let offset = 2; offset < size - 1; offset++) {
      const n = start + offset;
      const candidate = toIp(n);
      if (!used.has(candidate) && !excluded.some(([from, to]) => n >= from && n <= to)) return candidate;
    }
    throw new Error(`subnet ${cidr} of ${provider} is full`);
  }

  private randomMac(): string {
    const byte = () => Math.floor(this.random() * 256).toString(16).padStart(2, '0');
    return `00:00:00:${byte()}:${byte()}:${byte()}`;
  }
}
