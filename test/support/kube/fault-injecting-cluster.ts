import type { ClusterOperation, ClusterPort, VmRef } from '../../../src/adapters/kubernetes/cluster.port.js';
import { FaultInjector } from '../../../src/adapters/simulation/fault-injector.js';

/**
 * Port-level faults (fail, lose the response, conflict, hang) around any ClusterPort, with the
 * same semantics as the simulations' FaultInjector, so the contract's fault tests hold the real
 * adapter to the caller-visible behaviour. HTTP-level faults are the adapter's unit tests' job.
 */
export function withFaults<T extends ClusterPort>(cluster: T): { cluster: T; faults: FaultInjector<ClusterOperation> } {
  const faults = new FaultInjector<ClusterOperation>();
  const operations = new Set<string>(['ensureVm', 'getVm', 'deleteVm', 'startVm', 'stopVm', 'restartVm', 'pauseVm', 'unpauseVm', 'listVms', 'listNodes']);
  const proxy = new Proxy(cluster, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || !operations.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const first = args[0] as { ref?: VmRef; namespace?: string; name?: string } | undefined;
        const ref = first?.ref ?? (first?.name !== undefined ? (first as VmRef) : undefined);
        const key = ref ? `${ref.namespace}/${ref.name}` : undefined;
        return faults.intercept(property as ClusterOperation, key, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
      };
    },
  });
  return { cluster: proxy, faults };
}
