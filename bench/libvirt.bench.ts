import { TemplateDomainResolver } from '../src/adapters/libvirt/domain-resolver.js';
import { LibvirtHypervisor } from '../src/adapters/libvirt/libvirt-hypervisor.js';
import { LocalCommandRunner } from '../src/adapters/process/local-command-runner.js';
import { BenchLibvirtd } from './support/libvirt-daemon.js';
import { fmt, percentile, pool, timed, type Rate } from './support/measure.js';

export interface LibvirtResults {
  virsh: Rate;
  getDomain: Rate & { p50: number; p99: number };
  getDomainConcurrent: Rate;
  setVcpus: Rate & { p50: number; p99: number };
  concurrency: number;
}

const CONCURRENCY = 8;

/**
 * The hypervisor adapter's round trips through its transport (virsh as a local process) against a
 * private libvirtd hosting the test driver: one bare virsh call for reference, getDomain (dominfo +
 * dumpxml + dumpxml --inactive) one at a time and 8 at once, and setVcpus alternating 2 and 3 vCPUs
 * (read, setvcpus, read back), each a real change.
 */
export async function benchLibvirt(calls: number): Promise<LibvirtResults> {
  const daemon = BenchLibvirtd.start();
  try {
    const names = Array.from({ length: CONCURRENCY }, (_, i) => `vp-bench-${i}`);
    for (const name of names) daemon.defineRunning(name);
    const runner = new LocalCommandRunner();
    const resolver = new TemplateDomainResolver({ uriTemplate: daemon.uri, nameTemplate: 'vp-{vmId}' });
    const hypervisor = new LibvirtHypervisor({ runner, resolver });
    const ref = (i: number) => ({ vmId: `bench-${i % CONCURRENCY}`, node: 'bench' });

    const virsh = await timed(calls, async () => {
      for (let i = 0; i < calls; i++) await runner.run(['virsh', '-q', '-c', daemon.uri, 'dominfo', names[0]!]);
    });
    const getLatencies: number[] = [];
    const getDomain = await timed(calls, async () => {
      for (let i = 0; i < calls; i++) getLatencies.push(await latency(() => hypervisor.getDomain(ref(0))));
    });
    const getDomainConcurrent = await timed(calls, () => pool(calls, CONCURRENCY, async (i) => void (await hypervisor.getDomain(ref(i)))));
    const setLatencies: number[] = [];
    const setCalls = Math.max(2, Math.round(calls / 2));
    const setVcpus = await timed(setCalls, async () => {
      for (let i = 0; i < setCalls; i++) setLatencies.push(await latency(() => hypervisor.setVcpus(ref(0), 2 + ((i + 1) % 2))));
    });
    hypervisor.close();
    return {
      virsh,
      getDomain: { ...getDomain, ...quantiles(getLatencies) },
      getDomainConcurrent,
      setVcpus: { ...setVcpus, ...quantiles(setLatencies) },
      concurrency: CONCURRENCY,
    };
  } finally {
    daemon.stop();
  }
}

export function libvirtRows(results: LibvirtResults): string[] {
  const { virsh, getDomain, getDomainConcurrent, setVcpus, concurrency } = results;
  return [
    `| libvirt | one virsh process (dominfo), sequential | ${fmt(virsh.perSecond)} calls/s | ${virsh.operations} calls |`,
    `| libvirt | getDomain (2 virsh calls), sequential | ${fmt(getDomain.perSecond)} calls/s; p50 ${getDomain.p50.toFixed(1)} ms, p99 ${getDomain.p99.toFixed(1)} ms | ${getDomain.operations} calls |`,
    `| libvirt | getDomain, ${concurrency} in flight | ${fmt(getDomainConcurrent.perSecond)} calls/s | ${getDomainConcurrent.operations} calls |`,
    `| libvirt | setVcpus live, a real change each (read, setvcpus, read back: 5 virsh calls), sequential | ${fmt(setVcpus.perSecond)} calls/s; p50 ${setVcpus.p50.toFixed(1)} ms, p99 ${setVcpus.p99.toFixed(1)} ms | ${setVcpus.operations} calls |`,
  ];
}

async function latency(call: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function quantiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}
