import { cloneObject, type KubeObject } from '../store/kube-object.js';
import { drain, isTerminating, launcherPods, objectsToReconcile, types, writeObject, type ClusterContext } from './cluster-context.js';
import { expectedNetworkStatus, podNetworks } from './kube-ovn-controller.js';
import { multusNetworks } from './launcher-pod.js';
import { interfacesFor, networksAnnotation, networkStatusAnnotation } from './network-status.js';

/**
 * NIC hotplug and unplug, one step per tick and VMI: virt-controller rewrites the live launcher
 * pod's networks annotation, Multus (thick plugin + dynamic networks controller) attaches and
 * reports network-status, virt-handler reports the interface in VMI status; an interface marked
 * `state: absent` leaves the status, then KubeVirt drops it from the VMI and the VM spec.
 */
export class NetworkController {
  private readonly queue;

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    drain(this.queue, (taken) => this.run(taken));
  }

  private run(taken: Parameters<typeof objectsToReconcile>[2]): void {
    // Multus: every pod's network-status follows its attachments
    for (const pod of objectsToReconcile(this.context, types.pod, taken)) {
      if (isTerminating(pod)) continue;
      const expected = expectedNetworkStatus(this.context, pod);
      if (!expected) continue;
      const text = JSON.stringify(expected);
      if (pod.metadata.annotations?.[networkStatusAnnotation] !== text) {
        writeObject(this.context, types.pod, { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata.annotations, [networkStatusAnnotation]: text } } });
      }
    }
    for (const vmi of objectsToReconcile(this.context, types.vmi, taken)) {
      if (!isTerminating(vmi) && vmi.status?.phase === 'Running') this.reconcileVmi(vmi);
    }
  }

  private reconcileVmi(vmi: KubeObject): void {
    const pod = launcherPods(this.context, vmi).find((p) => p.spec.nodeName === vmi.status?.nodeName && !isTerminating(p));
    if (!pod) return;
    const wanted = multusNetworks(vmi);
    if (JSON.stringify(wanted) !== JSON.stringify(podNetworks(pod))) {
      const annotations = { ...(pod.metadata.annotations ?? {}) };
      if (wanted.length > 0) annotations[networksAnnotation] = JSON.stringify(wanted);
      else delete annotations[networksAnnotation];
      writeObject(this.context, types.pod, { ...pod, metadata: { ...pod.metadata, annotations } });
      return;
    }
    const interfaces = interfacesFor(vmi, pod);
    if (JSON.stringify(interfaces) !== JSON.stringify(vmi.status?.interfaces ?? [])) {
      writeObject(this.context, types.vmi, { ...vmi, status: { ...vmi.status, interfaces } });
      return;
    }
    this.clearDetached(vmi);
  }

  /** clearDetachedIfacesFromVM: absent interfaces (and their networks) leave the VMI and VM specs once gone from status. */
  private clearDetached(vmi: KubeObject): void {
    const absent = ((vmi.spec.domain?.devices?.interfaces ?? []) as Array<{ name: string; state?: string }>).filter((i) => i.state === 'absent').map((i) => i.name);
    if (absent.length === 0) return;
    const strip = (spec: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const copy = cloneObject(spec);
      if (copy.domain?.devices?.interfaces) copy.domain.devices.interfaces = copy.domain.devices.interfaces.filter((i: { name: string }) => !absent.includes(i.name));
      if (copy.networks) copy.networks = copy.networks.filter((n: { name: string }) => !absent.includes(n.name));
      return copy;
    };
    const vm = this.context.service.find(types.vm, vmi.metadata.namespace, vmi.metadata.name);
    if (vm?.spec?.template?.spec) {
      const template = strip(vm.spec.template.spec);
      if (JSON.stringify(template) !== JSON.stringify(vm.spec.template.spec)) writeObject(this.context, types.vm, { ...vm, spec: { ...vm.spec, template: { ...vm.spec.template, spec: template } } });
    }
    writeObject(this.context, types.vmi, { ...vmi, spec: strip(vmi.spec) });
  }
}
