import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { startClusterSimulator, type ClusterSimulator, type ClusterSimulatorOptions } from '../../../src/cluster-simulator/cluster-simulator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface SimulatorFixture {
  simulator: ClusterSimulator;
  kubeConfig: KubeConfig;
  custom: CustomObjectsApi;
  core: CoreV1Api;
  token: string;
  /** fetch against the simulator with its bearer token (bodies are untyped JSON in these tests). */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<JsonResponse>;
}

export async function startFixture(options: Partial<ClusterSimulatorOptions> = {}): Promise<SimulatorFixture> {
  const simulator = await startClusterSimulator({ nodes: [{ name: 'node-1', cpu: 8, memoryMiB: 16384 }, { name: 'node-2', cpu: 8, memoryMiB: 16384 }], stepMs: 5, ...options });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(simulator.kubeconfig());
  const token = kubeConfig.getCurrentUser()!.token!;
  return {
    simulator, kubeConfig, token,
    custom: kubeConfig.makeApiClient(CustomObjectsApi),
    core: kubeConfig.makeApiClient(CoreV1Api),
    api: (path, init = {}) => {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) };
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        headers['Content-Type'] ??= 'application/json';
      }
      return fetch(`${simulator.url}${path}`, { ...init, headers, ...(body !== undefined ? { body } : {}) });
    },
  };
}

/** Polls `probe` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const ns = 'tenant-a';

export function vmManifest(name: string, overrides: { runStrategy?: string; sockets?: number; guest?: string; annotations?: Record<string, string>; cpuRequest?: string; extraSpec?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine',
    metadata: { name, namespace: ns },
    spec: {
      runStrategy: overrides.runStrategy ?? 'Always',
      template: {
        metadata: {
          labels: { 'app.example.com/vm': name },
          annotations: { 'kubevirt.io/allow-pod-bridge-network-live-migration': 'true', ...(overrides.annotations ?? {}) },
        },
        spec: {
          domain: {
            cpu: { sockets: overrides.sockets ?? 1, cores: 1, threads: 1, maxSockets: 4 },
            memory: { guest: overrides.guest ?? '1Gi', maxGuest: '4Gi' },
            ...(overrides.cpuRequest ? { resources: { requests: { cpu: overrides.cpuRequest } } } : {}),
            devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', bridge: {} }] },
          },
          networks: [{ name: 'default', pod: {} }],
          volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/fedora:41' } }],
          ...(overrides.extraSpec ?? {}),
        },
      },
    },
  };
}

export async function createNamespace(fixture: SimulatorFixture, name = ns): Promise<void> {
  await fixture.core.createNamespace({ body: { metadata: { name } } });
}
