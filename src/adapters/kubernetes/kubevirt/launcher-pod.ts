import type { V1Pod } from '@kubernetes/client-node';
import type { VmRef } from '../cluster.port.js';
import type { KubeApi } from './kube-api.js';

/**
 * libvirt's name for a VM's domain inside its launcher pod: virt-launcher defines it as
 * `<namespace>_<vmi name>` (the VMI is named after the VM), with the cluster's namespace.
 */
export function launcherDomainName(clusterRef: VmRef): string {
  return `${clusterRef.namespace}_${clusterRef.name}`;
}

/** The container of a virt-launcher pod where the VM's QEMU and libvirt run. */
export const COMPUTE_CONTAINER = 'compute';

/**
 * The VM's live virt-launcher pod, found by KubeVirt's labels. During a migration there are two:
 * the one on the VMI's node wins, else the oldest running one. null when there is none.
 */
export async function findLauncherPod(api: KubeApi, ref: VmRef): Promise<V1Pod | null> {
  const pods = await api.listPods(ref.namespace, `kubevirt.io=virt-launcher,vm.kubevirt.io/name=${ref.name}`);
  const live = pods.filter((pod) => !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  if (live.length <= 1) return live[0] ?? null;
  const vmi = await api.getCustom('virtualmachineinstances', ref.namespace, ref.name);
  const node = (vmi?.status as { nodeName?: string } | undefined)?.nodeName;
  const onNode = live.find((pod) => pod.spec?.nodeName === node);
  if (onNode) return onNode;
  return live.find((pod) => pod.status?.phase === 'Running') ?? live[0]!;
}
