/**
 * Maps the port's namespaces (one per project, see vmRef) onto the cluster's, e.g. "prod-{namespace}"
 * when several deployments share a cluster. The template holds "{namespace}" exactly once, so the
 * mapping can be reversed for what watches and lists report.
 */
export class NamespaceMapping {
  private readonly prefix: string;
  private readonly suffix: string;

  constructor(template = '{namespace}') {
    const parts = template.split('{namespace}');
    if (parts.length !== 2) throw new Error(`namespace template "${template}" must contain {namespace} exactly once`);
    this.prefix = parts[0]!;
    this.suffix = parts[1]!;
  }

  toCluster(namespace: string): string {
    return `${this.prefix}${namespace}${this.suffix}`;
  }

  /** null for a cluster namespace this deployment does not own. */
  fromCluster(namespace: string): string | null {
    if (!namespace.startsWith(this.prefix) || !namespace.endsWith(this.suffix)) return null;
    const inner = namespace.slice(this.prefix.length, namespace.length - this.suffix.length);
    return inner.length > 0 ? inner : null;
  }
}
