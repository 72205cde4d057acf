import { KubeConfig } from '@kubernetes/client-node';

/** Where the adapter finds its cluster: a kubeconfig file, kubeconfig text, or the pod's service account. */
export type KubeConfigSource =
  | { kind: 'file'; path: string }
  | { kind: 'text'; yaml: string }
  /** The pod's service account: KUBERNETES_SERVICE_HOST/PORT and the token, CA and namespace files under `root` (default: the real mount). */
  | { kind: 'in-cluster'; root?: string }
  | { kind: 'default' };

/**
 * Loads the configuration: `default` is client-node's own order (KUBECONFIG, ~/.kube/config, then
 * the in-cluster service account). A configuration without a current cluster is refused here, not
 * at the first request.
 */
export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const config = new KubeConfig();
  switch (source.kind) {
    case 'file':
      config.loadFromFile(source.path);
      break;
    case 'text':
      config.loadFromString(source.yaml);
      break;
    case 'in-cluster':
      // client-node takes a prefix before /var/run/secrets/kubernetes.io/serviceaccount
      config.loadFromCluster(source.root ?? '');
      break;
    case 'default':
      config.loadFromDefault();
      break;
  }
  if (!config.getCurrentCluster()) throw new Error(`kubeconfig (${source.kind}) has no current cluster`);
  return allowPlainHttp(config);
}

/**
 * client-node 2 refuses an http:// server unless TLS verification is explicitly skipped, although
 * there is no TLS to verify (a local simulator, kubectl proxy). Say so for those clusters only.
 */
function allowPlainHttp(config: KubeConfig): KubeConfig {
  if (!config.clusters.some((c) => c.server.startsWith('http://') && !c.skipTLSVerify)) return config;
  const patched = new KubeConfig();
  patched.loadFromOptions({
    clusters: config.clusters.map((c) => (c.server.startsWith('http://') ? { ...c, skipTLSVerify: true } : c)),
    users: config.users,
    contexts: config.contexts,
    currentContext: config.currentContext,
  });
  return patched;
}
