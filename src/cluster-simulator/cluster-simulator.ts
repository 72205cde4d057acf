import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ControllerLoop } from './controllers/controller-loop.js';
import { types, type ClusterContext, type SimulatorNode } from './controllers/cluster-context.js';
import { DataVolumeController } from './controllers/data-volume-controller.js';
import { GarbageCollector } from './controllers/garbage-collector.js';
import { KubeOvnController } from './controllers/kube-ovn-controller.js';
import { KubeOvnIpam } from './controllers/kube-ovn-ipam.js';
import { Kubelet } from './controllers/kubelet.js';
import { MigrationController } from './controllers/migration-controller.js';
import { NetworkController } from './controllers/network-controller.js';
import { nodeLabels, Scheduler } from './controllers/scheduler.js';
import { VmController } from './controllers/vm-controller.js';
import { VmiController } from './controllers/vmi-controller.js';
import { GroupIndex, groupsOf, WorkQueue } from './controllers/work-queue.js';
import { EffectLog } from './control/effect-log.js';
import { FaultRules } from './control/fault-rules.js';
import { HeldRequests } from './control/held-requests.js';
import { RequestLog } from './control/request-log.js';
import { SimulatorControl } from './control/simulator-control.js';
import type { ExecBackend } from './exec/exec-backend.js';
import { ExecServer } from './exec/exec-server.js';
import { GuestDomains } from './exec/guest-domains.js';
import { GuestModelExecBackend } from './exec/guest-model.js';
import { RealGuestExecBackend } from './exec/real-guest-exec-backend.js';
import { RealGuestLauncher } from './exec/real-guest-launcher.js';
import type { RealGuestOptions } from './exec/real-guest-options.js';
import { SimulatorHttpServer } from './http/http-server.js';
import { KubeVirtActions } from './http/kubevirt-actions.js';
import { ResourceHandler } from './http/resource-handler.js';
import { WatchHandler } from './http/watch-handler.js';
import { StatePersistence, type SimulatorState } from './persistence.js';
import { resourceTypes } from './resources.js';
import { resourceKey } from './store/object-store.js';
import { ObjectStore } from './store/object-store.js';
import { kubeTime, type KubeObject } from './store/kube-object.js';
import { ResourceService } from './store/resource-service.js';
import { WatchHub } from './store/watch-hub.js';
import { SchemaValidator } from './validation/schema-validator.js';

export type { SimulatorNode } from './controllers/cluster-context.js';
export type { ExecBackend } from './exec/exec-backend.js';
export type { RealGuestOptions } from './exec/real-guest-options.js';
export { SimulatorControl } from './control/simulator-control.js';
export type { FailRule, DelayRule, DropRule, Verb } from './control/fault-rules.js';
export type { HangRule, HangRelease } from './control/held-requests.js';
export type { Effect, EffectMatch } from './control/effect-log.js';
export type { HangHandle } from './control/simulator-control.js';
export type { LoggedRequest } from './control/request-log.js';

export interface ClusterSimulatorOptions {
  nodes: SimulatorNode[];
  host?: string; // default 127.0.0.1
  port?: number; // default 0 = a free port
  /** How long each controller step takes (phase transitions, resize, migration progress ticks). */
  stepMs?: number; // default 20
  /** Ticks a live migration spends copying memory (phase Running) before it switches over (default 3). */
  migrationTransferTicks?: number;
  /** Persist the objects to this JSON file and reload them on start (the embedded default restarts). */
  stateFile?: string;
  /** Runs exec commands in a launcher pod's compute container (default: the built-in guest model, see exec/guest-model.ts). */
  exec?: ExecBackend;
  /** VMs on this node run as real QEMU guests under a real libvirtd, which their launcher pods' virsh reaches. */
  realGuest?: RealGuestOptions;
  /** Changes a watch can resume across before 410 Gone (default 1000; small in tests). */
  watchHistorySize?: number;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (default 1000 ms). */
  bookmarkIntervalMs?: number;
}

export interface ClusterSimulator {
  readonly url: string; // http://127.0.0.1:<port>
  /** A kubeconfig (YAML text) with one cluster (server: url), one user (a bearer token), one context. */
  kubeconfig(): string;
  readonly control: SimulatorControl;
  close(): Promise<void>;
}

const defaultNamespaces = ['default', 'kube-system', 'kube-public', 'kubevirt'];

function nodeObject(node: SimulatorNode, index: number): KubeObject {
  const quantity = { cpu: String(node.cpu), memory: `${node.memoryMiB}Mi`, pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: node.name, labels: nodeLabels(node), uid: '', resourceVersion: '', creationTimestamp: kubeTime() },
    spec: {},
    status: {
      capacity: quantity, allocatable: quantity,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: kubeTime(), lastTransitionTime: kubeTime() }],
      addresses: [{ type: 'InternalIP', address: `192.168.100.${10 + index}` }, { type: 'Hostname', address: node.name }],
      nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'v1.36.0', containerRuntimeVersion: 'containerd://2.1.0', kernelVersion: '6.12.0', osImage: 'Debian GNU/Linux 13 (trixie)', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '' },
    },
  };
}

/** Starts the simulated Kubernetes API server + KubeVirt on `host:port`. */
export async function startClusterSimulator(options: ClusterSimulatorOptions): Promise<ClusterSimulator> {
  if (options.nodes.length === 0) throw new Error('the cluster simulator needs at least one node');
  const stepMs = options.stepMs ?? 20;
  const random = Math.random;
  const store = new ObjectStore();
  const hub = new WatchHub(options.watchHistorySize ?? 1000);
  const validator = SchemaValidator.shared();
  const service = new ResourceService(store, validator, random);
  const domains = new GuestDomains();
  const ipam = new KubeOvnIpam(random);
  const effects = new EffectLog();
  // the controllers' informers: each VM's objects indexed, and one work queue per controller, fed by every change
  const groups = new GroupIndex();
  const queues: WorkQueue[] = [];
  const context: ClusterContext = {
    service, nodes: options.nodes, domains, realGuestNode: options.realGuest?.node, random, migrationFailures: { remaining: 0, reason: '' }, groups,
    workQueue: () => {
      const queue = new WorkQueue();
      queues.push(queue);
      return queue;
    },
  };

  const persistence = options.stateFile
    ? new StatePersistence(options.stateFile, (): SimulatorState => ({ version: 1, store: store.snapshot(), domains: domains.all(), addresses: ipam.all(), effects: effects.all() }))
    : undefined;
  const saved = persistence?.load();
  const typeOf = (key: string) => resourceTypes.find((t) => resourceKey(t) === key);
  if (saved) {
    store.restore(saved.store, typeOf);
    domains.restore(saved.domains);
    ipam.restore(saved.addresses);
    effects.restore(saved.effects ?? []);
    // history before the restart is gone: resuming from an older resourceVersion is 410
    hub.markCompacted(store.currentRevision);
  }
  for (const type of resourceTypes) groups.load(type.plural, store.scan(type));
  store.onChange((change) => {
    groups.apply(change);
    const touched = groupsOf(change);
    for (const queue of queues) queue.add(touched);
    hub.record(change);
    persistence?.schedule();
  });
  const seed = () => {
    for (const name of defaultNamespaces) {
      if (!service.find(types.namespace, undefined, name)) {
        store.insert(types.namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: '', resourceVersion: '', creationTimestamp: kubeTime(), labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
      }
    }
    for (const existing of service.list(types.node)) {
      if (!options.nodes.some((n) => n.name === existing.metadata.name)) store.remove(types.node, undefined, existing.metadata.name);
    }
    options.nodes.forEach((node, index) => {
      const existing = service.find(types.node, undefined, node.name);
      const object = nodeObject(node, index);
      if (!existing) store.insert(types.node, object);
      else if (JSON.stringify(existing.status.capacity) !== JSON.stringify(object.status.capacity)) {
        store.replace(types.node, { ...existing, status: object.status });
      }
    });
  };
  seed();

  const migrations = new MigrationController(context, options.migrationTransferTicks ?? 3);
  service.addAdmissionHook((request) => ipam.admitPod(request));
  service.addAdmissionHook((request) => migrations.admit(request));
  const loop = new ControllerLoop([
    ['garbage-collector', new GarbageCollector(context)],
    ['cdi', new DataVolumeController(context)],
    ['virt-controller-vm', new VmController(context)],
    ['virt-controller-vmi', new VmiController(context)],
    ['migration', migrations],
    ['scheduler', new Scheduler(context)],
    ['kube-ovn', new KubeOvnController(context, ipam)],
    ['multus-and-nic-hotplug', new NetworkController(context)],
    ['kubelet', new Kubelet(context)],
  ], stepMs);

  const faults = new FaultRules();
  const hangs = new HeldRequests();
  const log = new RequestLog();
  const token = `sim-${randomBytes(16).toString('hex')}`;
  const execBackend = options.exec ?? new GuestModelExecBackend(domains);
  const realGuest = options.realGuest ? new RealGuestLauncher(service, domains, options.realGuest) : undefined;
  const execServer = new ExecServer(service, options.realGuest ? new RealGuestExecBackend(options.realGuest, execBackend) : execBackend);
  let httpServer: SimulatorHttpServer;
  const control = new SimulatorControl({
    faults, hangs, effects, log,
    dropWatches: () => hub.dropAll(),
    makeUnreachable: (durationMs) => {
      hub.dropAll();
      httpServer.makeUnreachable(durationMs);
    },
    failNextMigrations: (count, reason) => {
      context.migrationFailures.remaining += count;
      context.migrationFailures.reason = reason;
    },
    setWatchHistorySize: (size) => hub.setHistorySize(size),
    controllerErrors: () => loop.errors.map((e) => e.message),
    reset: () => {
      for (const type of resourceTypes) {
        for (const object of service.list(type)) {
          if (type === types.node || (type === types.namespace && defaultNamespaces.includes(object.metadata.name))) continue;
          store.remove(type, object.metadata.namespace, object.metadata.name);
        }
      }
      domains.clear();
      ipam.clear();
      context.migrationFailures.remaining = 0;
      seed();
    },
  });
  const watches = new WatchHandler(service, hub, () => store.currentRevision, () => options.bookmarkIntervalMs ?? 1000);
  const resources = new ResourceHandler(service, watches, () => store.currentRevision);
  const actions = new KubeVirtActions(context);
  let address = '';
  httpServer = new SimulatorHttpServer({
    token, control, faults, hangs, effects, log, resources,
    // on disk before the client hears of it: a client killed right after its write still finds it counted
    onEffect: () => persistence?.saveNow(),
    actions: (request, path) => actions.handle(request, path),
    exec: (req, socket, head, path, url) => execServer.handleUpgrade(req, socket, head, path.namespace!, path.name!, url),
  }, () => address);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.server.once('error', reject);
    httpServer.server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (httpServer.server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  loop.start();
  realGuest?.start();

  return {
    url,
    control,
    kubeconfig: () => [
      'apiVersion: v1', 'kind: Config',
      // client-node 2 refuses a plain-http server unless TLS verification is marked skipped
      'clusters:', '- name: virtplane-simulator', '  cluster:', `    server: ${url}`, '    insecure-skip-tls-verify: true',
      'users:', '- name: virtplane-simulator', '  user:', `    token: ${token}`,
      'contexts:', '- name: virtplane-simulator', '  context:', '    cluster: virtplane-simulator', '    user: virtplane-simulator', '    namespace: default',
      'current-context: virtplane-simulator', '',
    ].join('\n'),
    close: async () => {
      loop.stop();
      await realGuest?.stop();
      hangs.releaseAll();
      hub.dropAll();
      execServer.close();
      persistence?.saveNow();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.server.close(() => resolve()));
    },
  };
}
