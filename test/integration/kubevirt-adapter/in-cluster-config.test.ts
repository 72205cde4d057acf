import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from '../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { KubevirtCluster } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { startClusterSimulator, type ClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';

const SERVICE_ACCOUNT = 'var/run/secrets/kubernetes.io/serviceaccount';

/** A free port among those client-node's in-cluster config reaches over plain http (kubectl proxy's and the insecure ones). */
async function freePlainHttpPort(): Promise<number> {
  for (const port of [8001, 8080]) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('neither 8001 nor 8080 is free on 127.0.0.1 for the in-cluster configuration test');
}

/**
 * The adapter inside a pod: KUBERNETES_SERVICE_HOST/PORT name the API server and the service
 * account's token file authenticates (client-node re-reads it, as bound tokens rotate). The
 * simulator answers only with its bearer token, so a listing that works proves the token was used.
 */
describe('the KubeVirt adapter configured from the pod\'s service account', () => {
  let simulator: ClusterSimulator;
  let root: string;
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };

  beforeAll(async () => {
    simulator = await startClusterSimulator({ nodes: [{ name: 'node-a', cpu: 8, memoryMiB: 16384 }], port: await freePlainHttpPort(), stepMs: 5 });
    root = mkdtempSync(join(tmpdir(), 'vp-sa-'));
    mkdirSync(join(root, SERVICE_ACCOUNT), { recursive: true });
    writeFileSync(join(root, SERVICE_ACCOUNT, 'token'), /token: (\S+)/.exec(simulator.kubeconfig())![1]!);
    writeFileSync(join(root, SERVICE_ACCOUNT, 'namespace'), 'virtplane');
    writeFileSync(join(root, SERVICE_ACCOUNT, 'ca.crt'), '');
    const url = new URL(simulator.url);
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
  });
  afterAll(async () => {
    for (const [key, value] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(root, { recursive: true, force: true });
    await simulator?.close();
  });

  it('given the service account files and the service env, when the adapter lists nodes, then it reaches the API server with the account\'s token', async () => {
    const config = loadKubeConfig({ kind: 'in-cluster', root });
    expect(config.getCurrentCluster()?.server).toBe(simulator.url);
    expect(config.getContextObject(config.currentContext)?.namespace).toBe('virtplane');
    const nodes = await new KubevirtCluster(config).listNodes();
    expect(nodes.map((n) => n.name)).toEqual(['node-a']);
  });

  it('given a token the API server does not know, when the adapter calls, then it is refused permanently (401)', async () => {
    writeFileSync(join(root, SERVICE_ACCOUNT, 'token'), 'not-the-token');
    try {
      await expect(new KubevirtCluster(loadKubeConfig({ kind: 'in-cluster', root })).listNodes()).rejects.toMatchObject({ code: 'Forbidden', retryable: false });
    } finally {
      writeFileSync(join(root, SERVICE_ACCOUNT, 'token'), /token: (\S+)/.exec(simulator.kubeconfig())![1]!);
    }
  });
});
