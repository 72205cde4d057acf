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

  /** The address for owner on provider: the fixed one when given, the one it holds, or the next free one in cidr. */
  allocate(owner: string, provider: string, cidr: string, fixedIp?: string, fixedMac?: string): Allocation {
    const held = this.find(owner, provider);
    if (held && (!fixedIp || held.ip === fixedIp)) {
      if (fixedMac) held.mac = fixedMac;
      return { ...held };
    }
    if (held) this.allocations = this.allocations.filter((a) => a !== held);
    const ip = fixedIp ?? this.nextFree(provider, cidr);
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
        const holder = this.allocations.find((a) => a.provider === provider && a.ip === ip && a.owner !== owner);
        if (holder) {
          throw new ApiError(403, 'Forbidden', `admission webhook "pod-ip-validating.kube-ovn.io" denied the request: annotation ip address ${ip} is conflict with ip crd ${holder.owner.replace(/^(vm|pod):([^/]+)\/(.+)$/, '$3.$2')}, ip ${ip}`);
        }
      }
    }
  }

  private nextFree(provider: string, cidr: string): string {
    const [base, bits] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const start = toInt(base!);
    const used = new Set(this.allocations.filter((a) => a.provider === provider).map((a) => a.ip));
    // skip the network address and the gateway (.1)
    for (let offset = 2; offset < size - 1; offset++) {
      const candidate = toIp(start + offset);
      if (!used.has(candidate)) return candidate;
    }
    throw new Error(`subnet ${cidr} of ${provider} is full`);
  }

  private randomMac(): string {
    const byte = () => Math.floor(this.random() * 256).toString(16).padStart(2, '0');
    return `00:00:00:${byte()}:${byte()}:${byte()}`;
  }
}
