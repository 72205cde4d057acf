import { PermanentAdapterError } from '../../adapter-errors.js';
import type { PodResizeObservation, VmRef } from '../cluster.port.js';
import type { KubeApi } from './kube-api.js';
import { observePodResize } from './kubevirt-observations.js';
import { COMPUTE_CONTAINER, findLauncherPod } from './launcher-pod.js';
import { quantityCpu, quantityMiB } from './quantities.js';

/**
 * In-place resize of the launcher pod's compute container through pods/{name}/resize
 * (kubevirt-api.md §6). Limits change only where the container has them, so the QoS class stays;
 * the pod's resourceVersion rides in the patch so a concurrent change is a 409, not a lost update.
 */
export async function resizeLauncherPod(api: KubeApi, ref: VmRef, wanted: { vcpus: number; memoryMiB: number }): Promise<PodResizeObservation> {
  const pod = await findLauncherPod(api, ref);
  if (!pod?.metadata?.name) throw new PermanentAdapterError('VmNotRunning', `VM ${ref.namespace}/${ref.name} has no virt-launcher pod`);
  const container = pod.spec?.containers.find((c) => c.name === COMPUTE_CONTAINER);
  if (!container) throw new PermanentAdapterError('NoComputeContainer', `pod ${pod.metadata.name} has no ${COMPUTE_CONTAINER} container`);
  const requests = container.resources?.requests ?? {};
  if (quantityCpu(requests.cpu) === wanted.vcpus && quantityMiB(requests.memory) === wanted.memoryMiB) return observePodResize(pod);
  const cpu = String(wanted.vcpus);
  const memory = `${wanted.memoryMiB}Mi`;
  const limits = container.resources?.limits ?? {};
  const newLimits = {
    ...(limits.cpu !== undefined ? { cpu } : {}),
    ...(limits.memory !== undefined ? { memory } : {}),
  };
  const body = {
    metadata: { resourceVersion: pod.metadata.resourceVersion },
    spec: {
      containers: [{ name: COMPUTE_CONTAINER, resources: { requests: { cpu, memory }, ...(Object.keys(newLimits).length > 0 ? { limits: newLimits } : {}) } }],
    },
  };
  const resized = await api.patchPodResize(ref.namespace, pod.metadata.name, body);
  return observePodResize(resized);
}

export async function getPodResize(api: KubeApi, ref: VmRef): Promise<PodResizeObservation | null> {
  const pod = await findLauncherPod(api, ref);
  if (!pod?.metadata?.name) return null;
  return observePodResize(await api.readPodResize(ref.namespace, pod.metadata.name));
}
