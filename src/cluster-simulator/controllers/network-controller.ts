import type { GuestDomain } from '../exec/guest-domains.js';
import { cloneObject, type KubeObject } from '../store/kube-object.js';
import { drain, isTerminating, launcherPods, objectsToReconcile, types, writeObject, type ClusterContext } from './cluster-context.js';
import { expectedNetworkStatus, podNetworks } from './kube-ovn-controller.js';
import { multusNetworks } from './launcher-pod.js';
import { interfacesFor, listedFrom, networksAnnotation, networkStatusAnnotation } from './network-status.js';
import { groupKeyOf, type GroupKey } from './work-queue.js';

/**
 * NIC hotplug and unplug as KubeVirt does them, one step per tick and VMI. Plug: virt-controller
 * rewrites the live launcher pod's networks annotation, Multus (thick plugin + dynamic networks
 * controller) attaches and reports network-status, virt-handler lists the interface from
 * `multus-status`, then plugs it into the domain and lists it from `domain, guest-agent,
 * multus-status`. Unplug (`state: absent`): virt-handler takes it out of the domain (back to
 * `multus-status`), virt-controller then drops its pod network, the interface leaves the status, and
 * KubeVirt drops it from the VMI and the VM spec. On the real-guest node the domain steps are the
 * real-guest launcher's, against libvirt (exec/real-guest-launcher.ts): this controller reports them.
 */
export class NetworkController {
  private readonly queue;
  /** The NICs each real guest's domain had when last reported: the launcher plugs them without a store change. */
  private readonly seenRealNics = new Map<GroupKey, { namespace: string; name: string; nics: string }>();

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    for (const [group, seen] of this.seenRealNics) {
      const nics = this.context.domains.get(seen.namespace, seen.name)?.nics;
      if (nics === undefined) this.seenRealNics.delete(group);
      if (nics?.join(',') !== seen.nics) this.queue.requeue(group);
    }
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
    const domain = this.context.domains.get(vmi.metadata.namespace!, vmi.metadata.name);
    if (!domain) return;
    const realGuest = vmi.status?.nodeName === this.context.realGuestNode;
    if (realGuest) this.seenRealNics.set(groupKeyOf(vmi.metadata.namespace, vmi.metadata.name), { namespace: vmi.metadata.namespace!, name: vmi.metadata.name, nics: (domain.nics ?? []).join(',') });
    const inDomain = new Set(domain.nics ?? []);
    // virt-controller goes by the VMI status: an absent interface keeps its pod network while listed from `domain`
    const wanted = multusNetworks(vmi, new Set(listedFrom(vmi, 'domain').map((i) => i.name)));
    if (JSON.stringify(wanted) !== JSON.stringify(podNetworks(pod))) {
      const annotations = { ...(pod.metadata.annotations ?? {}) };
      if (wanted.length > 0) annotations[networksAnnotation] = JSON.stringify(wanted);
      else delete annotations[networksAnnotation];
      writeObject(this.context, types.pod, { ...pod, metadata: { ...pod.metadata, annotations } });
      return;
    }
    const interfaces = interfacesFor(vmi, pod, inDomain);
    if (JSON.stringify(interfaces) !== JSON.stringify(vmi.status?.interfaces ?? [])) {
      writeObject(this.context, types.vmi, { ...vmi, status: { ...vmi.status, interfaces } });
      return;
    }
    if (!realGuest && this.plugIntoDomain(vmi, domain)) return void this.queue.requeue(groupKeyOf(vmi.metadata.namespace, vmi.metadata.name));
    this.clearDetached(vmi);
  }

  /**
   * virt-handler: an interface the VMI lists from `multus-status` (its pod network is there) goes into
   * the domain; one marked absent, or gone from the spec, comes out. Whether the domain changed.
   */
  private plugIntoDomain(vmi: KubeObject, domain: GuestDomain): boolean {
    const spec = (vmi.spec.domain?.devices?.interfaces ?? []) as Array<{ name: string; state?: string }>;
    const plugged = (name: string) => spec.some((i) => i.name === name && i.state !== 'absent');
    const before = domain.nics ?? [];
    const next = before.filter(plugged);
    for (const { name } of listedFrom(vmi, 'multus-status')) if (plugged(name) && !next.includes(name)) next.push(name);
    if (next.join(',') === before.join(',')) return false;
    domain.nics = next;
    return true;
  }

  /** clearDetachedIfacesFromVM: absent interfaces (and their networks) leave the VMI and VM specs once gone from status. */
  private clearDetached(vmi: KubeObject): void {
    const listed = new Set(((vmi.status?.interfaces ?? []) as Array<{ name: string }>).map((i) => i.name));
    const absent = ((vmi.spec.domain?.devices?.interfaces ?? []) as Array<{ name: string; state?: string }>)
      .filter((i) => i.state === 'absent' && !listed.has(i.name))
      .map((i) => i.name);
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
