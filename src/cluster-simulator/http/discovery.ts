import { resourceTypes, resourceVerbs, groupVersionOf, type ResourceType } from '../resources.js';

const kubevirtActions: Array<{ plural: string; action: string; kind: string }> = [
  ...['start', 'stop', 'restart', 'migrate'].map((action) => ({ plural: 'virtualmachines', action, kind: 'VirtualMachine' })),
  ...['pause', 'unpause'].map((action) => ({ plural: 'virtualmachineinstances', action, kind: 'VirtualMachineInstance' })),
];

const subresourceVerbs: Record<string, string[]> = { status: ['get', 'patch', 'update'], resize: ['get', 'patch', 'update'], exec: ['create', 'get'] };

function groups(): Map<string, ResourceType[]> {
  const byGroupVersion = new Map<string, ResourceType[]>();
  for (const type of resourceTypes) {
    const key = groupVersionOf(type);
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), type]);
  }
  return byGroupVersion;
}

function resourceList(groupVersion: string): object | undefined {
  if (groupVersion === 'subresources.kubevirt.io/v1') {
    return {
      kind: 'APIResourceList', apiVersion: 'v1', groupVersion,
      resources: kubevirtActions.map((a) => ({ name: `${a.plural}/${a.action}`, singularName: '', namespaced: true, kind: a.kind, verbs: ['update'] })),
    };
  }
  const types = groups().get(groupVersion);
  if (!types) return undefined;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion,
    resources: types.flatMap((t) => [
      { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: resourceVerbs(t), ...(t.shortNames.length ? { shortNames: t.shortNames } : {}), ...(t.group === 'kubevirt.io' ? { categories: ['all'] } : {}) },
      ...t.subresources.map((sub) => ({ name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: sub === 'exec' ? 'PodExecOptions' : t.kind, verbs: subresourceVerbs[sub] ?? ['get'] })),
    ]),
  };
}

function groupEntry(name: string): object {
  const version = [...groups().keys(), 'subresources.kubevirt.io/v1'].find((gv) => gv.startsWith(`${name}/`))!.split('/')[1]!;
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

/** /api, /apis, /apis/<group>, /apis/<group>/<version>, /version: enough for client-node and kubectl discovery. */
export function discovery(path: string, serverAddress: string): object | undefined {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '/version') {
    return { major: '1', minor: '36', gitVersion: 'v1.36.0-virtplane-simulator', gitCommit: '', gitTreeState: 'clean', buildDate: '2026-11-01T00:00:00Z', goVersion: 'go1.25', compiler: 'gc', platform: 'linux/amd64' };
  }
  if (trimmed === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  if (trimmed === '/api/v1') return resourceList('v1');
  const names = [...new Set([...groups().keys()].filter((gv) => gv.includes('/')).map((gv) => gv.split('/')[0]!)), 'subresources.kubevirt.io'];
  if (trimmed === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map(groupEntry) };
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(trimmed);
  if (!m || !names.includes(m[1]!)) return undefined;
  if (!m[2]) return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(m[1]!) };
  return resourceList(`${m[1]}/${m[2]}`);
}
