import type { KubeConfig } from '@kubernetes/client-node';
import { PermanentAdapterError } from '../../adapter-errors.js';
import { kubeOvnProvider, type NetworkAttachmentRef, type NetworkAttachmentSpec } from '../cluster.port.js';
import { asKubeApiError } from './kube-errors.js';
import { rawRequest } from './kube-raw-request.js';
import { MANAGED_BY, MANAGED_BY_LABEL, type KubeObject } from './kubevirt-manifests.js';

export const NETWORK_ID_LABEL = 'virtplane.io/network-id';

type Stored = KubeObject & { metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> };

const nadPath = (ref: NetworkAttachmentRef) =>
  `/apis/k8s.cni.cncf.io/v1/namespaces/${encodeURIComponent(ref.namespace)}/network-attachment-definitions`;
const subnetPath = '/apis/kubeovn.io/v1/subnets';

/** The NAD of a network (kubevirt-api.md §1): type kube-ovn, its provider tying it to the Kube-OVN Subnet. */
export function networkAttachmentManifest(spec: NetworkAttachmentSpec): KubeObject {
  const config = {
    cniVersion: '0.3.1',
    type: 'kube-ovn',
    server_socket: '/run/openvswitch/kube-ovn-daemon.sock',
    provider: kubeOvnProvider(spec.ref),
  };
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: spec.ref.name, namespace: spec.ref.namespace, labels: labels(spec) },
    spec: { config: JSON.stringify(config) },
  };
}

/**
 * The Kube-OVN Subnet of a network: dual stack is one Subnet with "v4,v6" CIDRs and gateways, as
 * Kube-OVN spells it; the gateways and Neutron's excluded ranges are excludeIps, so Kube-OVN never
 * hands out what Neutron's IPAM keeps back. Null without subnets.
 */
export function kubeOvnSubnetManifest(spec: NetworkAttachmentSpec): KubeObject | null {
  if (spec.subnets.length === 0) return null;
  // Kube-OVN lists the IPv4 block first.
  const ordered = [...spec.subnets].sort((a, b) => Number(a.cidr.includes(':')) - Number(b.cidr.includes(':')));
  const families = new Set(ordered.map((s) => (s.cidr.includes(':') ? 6 : 4)));
  const protocol = families.size === 2 ? 'Dual' : families.has(6) ? 'IPv6' : 'IPv4';
  const gateways = ordered.map((s) => s.gatewayIp).filter((g): g is string => g !== null);
  return {
    apiVersion: 'kubeovn.io/v1',
    kind: 'Subnet',
    metadata: { name: spec.ref.name, labels: labels(spec) },
    spec: {
      protocol,
      provider: kubeOvnProvider(spec.ref),
      cidrBlock: ordered.map((s) => s.cidr).join(','),
      ...(gateways.length === ordered.length ? { gateway: gateways.join(',') } : { disableGatewayCheck: true }),
      excludeIps: [...new Set(ordered.flatMap((s) => s.excludeIps))],
    },
  };
}

/** Creates what is missing, replaces (guarded by resourceVersion) what differs; a network without subnets has no Kube-OVN Subnet. */
export async function ensureNetworkAttachment(config: KubeConfig, timeoutMs: number, spec: NetworkAttachmentSpec): Promise<void> {
  const subnet = kubeOvnSubnetManifest(spec);
  if (subnet) await ensureObject(config, timeoutMs, subnetPath, subnet, spec.networkId);
  else await deleteOwned(config, timeoutMs, subnetPath, spec.ref.name, spec.networkId);
  await ensureObject(config, timeoutMs, nadPath(spec.ref), networkAttachmentManifest(spec), spec.networkId);
}

/** NAD first (nothing new plugs into it), then the Kube-OVN Subnet. Absent: done. */
export async function deleteNetworkAttachment(config: KubeConfig, timeoutMs: number, ref: NetworkAttachmentRef): Promise<void> {
  await deleteOwned(config, timeoutMs, nadPath(ref), ref.name, null);
  await deleteOwned(config, timeoutMs, subnetPath, ref.name, null);
}

async function ensureObject(config: KubeConfig, timeoutMs: number, collection: string, wanted: KubeObject, networkId: string): Promise<void> {
  const name = (wanted.metadata as { name: string }).name;
  const existing = await read(config, timeoutMs, `${collection}/${encodeURIComponent(name)}`);
  if (!existing) {
    // A concurrent ensure that made it first is a 409: the caller's conflict retry reads and compares it.
    await rawRequest(config, 'POST', collection, wanted, timeoutMs);
    return;
  }
  assertOurs(existing, networkId);
  const current = existing.spec ?? {};
  const spec = { ...current, ...(wanted.spec as Record<string, unknown>) };
  const currentLabels = existing.metadata.labels ?? {};
  const labels = { ...currentLabels, ...(wanted.metadata as { labels: Record<string, string> }).labels };
  if (JSON.stringify(sorted(spec)) === JSON.stringify(sorted(current)) && JSON.stringify(sorted(labels)) === JSON.stringify(sorted(currentLabels))) return;
  // A merge patch (lists replaced whole) carrying the resourceVersion read: a change in between is a
  // 409, and the caller retries.
  const body = { metadata: { resourceVersion: existing.metadata.resourceVersion, labels }, spec: wanted.spec };
  await rawRequest(config, 'PATCH', `${collection}/${encodeURIComponent(name)}`, body, timeoutMs, 'application/merge-patch+json');
}

async function deleteOwned(config: KubeConfig, timeoutMs: number, collection: string, name: string, networkId: string | null): Promise<void> {
  const path = `${collection}/${encodeURIComponent(name)}`;
  const existing = await read(config, timeoutMs, path);
  if (!existing) return;
  if (existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) return; // an operator's object: not ours to remove
  if (networkId !== null) assertOurs(existing, networkId);
  try {
    await rawRequest(config, 'DELETE', path, undefined, timeoutMs);
  } catch (error) {
    if (asKubeApiError(error).status !== 404) throw error;
  }
}

async function read(config: KubeConfig, timeoutMs: number, path: string): Promise<Stored | null> {
  try {
    return (await rawRequest(config, 'GET', path, undefined, timeoutMs)).body as Stored;
  } catch (error) {
    if (asKubeApiError(error).status === 404) return null;
    throw error;
  }
}

/**
 * An object of that name without our network label (an operator made `net-<id>` by hand before this
 * flow existed) is adopted; one labelled for another network is refused.
 */
function assertOurs(existing: Stored, networkId: string): void {
  const owner = existing.metadata.labels?.[NETWORK_ID_LABEL];
  if (owner !== undefined && owner !== networkId) {
    throw new PermanentAdapterError('AlreadyExists', `${existing.kind} ${existing.metadata.name} belongs to network ${owner}, not ${networkId}`);
  }
}

function labels(spec: NetworkAttachmentSpec): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [NETWORK_ID_LABEL]: spec.networkId };
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(v)]));
  }
  return value;
}
