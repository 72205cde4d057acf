import { cloneObject, kubeTime, type KubeObject } from '../store/kube-object.js';
import { drain, isTerminating, objectsToReconcile, setCondition, types, writeStatus, type ClusterContext, type Condition } from './cluster-context.js';
import { groupOf } from './work-queue.js';
import { expectedNetworkStatus } from './kube-ovn-controller.js';
import { networkStatusAnnotation } from './network-status.js';
import { capacityOf, usedOn } from './node-usage.js';
import { cpuMillis, memoryBytes } from './quantities.js';

interface ContainerSpec { name: string; image?: string; resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }
interface ContainerStatus { name: string; allocatedResources?: Record<string, unknown>; resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> }; [key: string]: unknown }

const sameQuantities = (a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) =>
  cpuMillis(a.cpu ?? 0) === cpuMillis(b.cpu ?? 0) && memoryBytes(a.memory ?? 0) === memoryBytes(b.memory ?? 0);

function qosClass(containers: ContainerSpec[]): string {
  const all = containers.map((c) => c.resources ?? {});
  if (all.every((r) => !r.requests && !r.limits)) return 'BestEffort';
  const guaranteed = all.every((r) => r.limits?.cpu !== undefined && r.limits?.memory !== undefined &&
    sameQuantities({ cpu: r.requests?.cpu ?? r.limits.cpu, memory: r.requests?.memory ?? r.limits.memory }, r.limits));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * The kubelet on every node: a bound pod whose networks are set up starts Running; a terminating
 * pod goes away; in-place resize (pods/resize) is admitted when the node has room (PodResizePending
 * Deferred while it may fit later, Infeasible when it never can), then PodResizeInProgress, then
 * the new resources in status.containerStatuses[].allocatedResources and .resources.
 */
export class Kubelet {
  private readonly queue;

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    drain(this.queue, (taken) => this.run(taken));
  }

  private run(taken: Parameters<typeof objectsToReconcile>[2]): void {
    const { service } = this.context;
    for (const pod of objectsToReconcile(this.context, types.pod, taken)) {
      if (isTerminating(pod)) {
        service.purge(types.pod, pod.metadata.namespace, pod.metadata.name);
        continue;
      }
      if (!pod.spec.nodeName) continue;
      const phase = pod.status?.phase ?? 'Pending';
      if (phase === 'Pending') this.start(pod);
      else if (phase === 'Running') this.resize(pod);
    }
  }

  private start(pod: KubeObject): void {
    const expected = expectedNetworkStatus(this.context, pod);
    if (!expected || pod.metadata.annotations?.[networkStatusAnnotation] !== JSON.stringify(expected)) return; // sandbox networking not ready yet
    const nodeIndex = this.context.nodes.findIndex((n) => n.name === pod.spec.nodeName);
    const now = kubeTime();
    const podIp = pod.metadata.annotations?.['ovn.kubernetes.io/ip_address']?.split(',')[0];
    let conditions = (pod.status?.conditions ?? []) as Condition[];
    for (const type of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']) {
      conditions = setCondition(conditions, { type, status: 'True', observedGeneration: pod.metadata.generation ?? 1 });
    }
    const containers = pod.spec.containers as ContainerSpec[];
    const status = {
      ...cloneObject(pod.status ?? {}),
      phase: 'Running', conditions, hostIP: `192.168.100.${10 + nodeIndex}`, hostIPs: [{ ip: `192.168.100.${10 + nodeIndex}` }],
      ...(podIp ? { podIP: podIp, podIPs: [{ ip: podIp }] } : {}), startTime: now, qosClass: qosClass(containers), observedGeneration: pod.metadata.generation ?? 1,
      containerStatuses: containers.map((c, i) => ({
        name: c.name, ready: true, started: true, restartCount: 0, image: c.image ?? '', imageID: `${c.image ?? ''}@sha256:${'0'.repeat(64)}`,
        containerID: `containerd://${pod.metadata.uid.replace(/-/g, '')}${i}`, state: { running: { startedAt: now } },
        allocatedResources: cloneObject(c.resources?.requests ?? {}), resources: cloneObject(c.resources ?? {}),
      })),
    };
    writeStatus(this.context, types.pod, pod, status);
  }

  private resize(pod: KubeObject): void {
    const containers = pod.spec.containers as ContainerSpec[];
    const statuses = cloneObject((pod.status?.containerStatuses ?? []) as ContainerStatus[]);
    const status = cloneObject(pod.status);
    const generation = pod.metadata.generation ?? 1;
    const pendingAdmission = containers.some((c) => !sameQuantities(c.resources?.requests, statuses.find((s) => s.name === c.name)?.allocatedResources));
    if (pendingAdmission) {
      const problem = this.doesNotFit(pod);
      if (problem) {
        // room may appear when another pod on the node goes or shrinks: tried again every step
        const group = groupOf(pod, types.pod.plural);
        if (group !== null && group !== 'all') this.queue.requeue(group);
        status.conditions = setCondition(status.conditions, { type: 'PodResizePending', status: 'True', reason: problem.reason, message: problem.message, observedGeneration: generation });
      } else {
        for (const c of containers) {
          const s = statuses.find((x) => x.name === c.name);
          if (s) s.allocatedResources = cloneObject(c.resources?.requests ?? {});
        }
        status.containerStatuses = statuses;
        status.conditions = setCondition(setCondition(status.conditions, { type: 'PodResizePending', status: null }),
          { type: 'PodResizeInProgress', status: 'True', observedGeneration: generation });
      }
    } else {
      const actuating = containers.some((c) => {
        const applied = statuses.find((s) => s.name === c.name)?.resources;
        return !sameQuantities(c.resources?.requests, applied?.requests) || !sameQuantities(c.resources?.limits, applied?.limits);
      });
      if (actuating) {
        for (const c of containers) {
          const s = statuses.find((x) => x.name === c.name);
          if (s) s.resources = cloneObject(c.resources ?? {});
        }
        status.containerStatuses = statuses;
      }
      status.conditions = setCondition(setCondition(status.conditions, { type: 'PodResizeInProgress', status: null }), { type: 'PodResizePending', status: null });
    }
    status.observedGeneration = generation;
    if (JSON.stringify(status) !== JSON.stringify(pod.status)) writeStatus(this.context, types.pod, pod, status);
  }

  private doesNotFit(pod: KubeObject): { reason: 'Deferred' | 'Infeasible'; message: string } | null {
    const node = this.context.nodes.find((n) => n.name === pod.spec.nodeName);
    if (!node) return null;
    const capacity = capacityOf(node);
    const wanted = { cpuMillis: 0, memoryBytes: 0 };
    for (const c of pod.spec.containers as ContainerSpec[]) {
      wanted.cpuMillis += cpuMillis(c.resources?.requests?.cpu ?? 0);
      wanted.memoryBytes += memoryBytes(c.resources?.requests?.memory ?? 0);
    }
    const used = usedOn(node.name, [...this.context.service.scan(types.pod)] as KubeObject[], pod.metadata.uid);
    const checks: Array<['cpu' | 'memory', number, number, number]> = [
      ['cpu', wanted.cpuMillis, used.cpuMillis, capacity.cpuMillis],
      ['memory', wanted.memoryBytes, used.memoryBytes, capacity.memoryBytes],
    ];
    for (const [resource, requested, , total] of checks) {
      if (requested > total) return { reason: 'Infeasible', message: `Node didn't have enough capacity: ${resource}, requested: ${requested}, capacity: ${total}` };
    }
    for (const [resource, requested, inUse, total] of checks) {
      if (requested + inUse > total) return { reason: 'Deferred', message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${inUse}, capacity: ${total}` };
    }
    return null;
  }
}
