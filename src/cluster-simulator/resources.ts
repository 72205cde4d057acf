/**
 * The kinds this simulated API server serves, with what the real server needs to know about each:
 * where it lives in the URL space, which published schema checks it, whether status is a separate
 * subresource (then main-resource writes keep the stored status and generation follows spec only).
 */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  plural: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  singular: string;
  /** Schema file and definition of the whole object, and of its spec (validated strictly). */
  schema: { file: SchemaFile; object: string; spec?: string } | { file: 'crd'; crdFile: 'multus-nad' | 'kube-ovn'; plural: string } | null;
  statusSubresource: boolean;
  /** Spec is validated strictly (unknown fields refused), as KubeVirt's webhook does for its kinds. */
  strictSpec: boolean;
  /** Served but not creatable through the API (nodes are the simulator's configuration). */
  readOnly?: boolean;
  /** Subresources listed in discovery besides status. */
  subresources: string[];
}

export type SchemaFile = 'kubevirt' | 'kubernetes-core' | 'cdi';

const verbsAll = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const resourceVerbs = (type: ResourceType): string[] => (type.readOnly ? ['get', 'list', 'watch'] : verbsAll);

export const apiVersionOf = (type: ResourceType): string => (type.group === '' ? type.version : `${type.group}/${type.version}`);
export const groupVersionOf = (type: Pick<ResourceType, 'group' | 'version'>): string =>
  type.group === '' ? type.version : `${type.group}/${type.version}`;

function kubevirtType(plural: string, kind: string, singular: string, shortNames: string[], statusSubresource: boolean): ResourceType {
  return {
    group: 'kubevirt.io', version: 'v1', plural, kind, listKind: `${kind}List`, namespaced: true, shortNames, singular,
    schema: { file: 'kubevirt', object: `v1.${kind}`, spec: `v1.${kind}Spec` },
    statusSubresource, strictSpec: true, subresources: statusSubresource ? ['status'] : [],
  };
}

export const resourceTypes: ResourceType[] = [
  kubevirtType('virtualmachines', 'VirtualMachine', 'virtualmachine', ['vm', 'vms'], true),
  // The VMI CRD has no status subresource: KubeVirt writes VMI status with the object (kubevirt-api.md §11).
  kubevirtType('virtualmachineinstances', 'VirtualMachineInstance', 'virtualmachineinstance', ['vmi', 'vmis'], false),
  kubevirtType('virtualmachineinstancemigrations', 'VirtualMachineInstanceMigration', 'virtualmachineinstancemigration', ['vmim', 'vmims'], true),
  {
    group: 'cdi.kubevirt.io', version: 'v1beta1', plural: 'datavolumes', kind: 'DataVolume', listKind: 'DataVolumeList',
    namespaced: true, shortNames: ['dv', 'dvs'], singular: 'datavolume',
    schema: { file: 'cdi', object: 'v1beta1.DataVolume', spec: 'v1beta1.DataVolumeSpec' },
    statusSubresource: true, strictSpec: true, subresources: ['status'],
  },
  {
    group: 'k8s.cni.cncf.io', version: 'v1', plural: 'network-attachment-definitions', kind: 'NetworkAttachmentDefinition',
    listKind: 'NetworkAttachmentDefinitionList', namespaced: true, shortNames: ['net-attach-def', 'nad'], singular: 'network-attachment-definition',
    schema: { file: 'crd', crdFile: 'multus-nad', plural: 'network-attachment-definitions' },
    statusSubresource: false, strictSpec: true, subresources: [],
  },
  ...(['subnets', 'vpcs', 'ips'] as const).map((plural): ResourceType => {
    const kind = plural === 'subnets' ? 'Subnet' : plural === 'vpcs' ? 'Vpc' : 'IP';
    return {
      group: 'kubeovn.io', version: 'v1', plural, kind, listKind: `${kind}List`, namespaced: false,
      shortNames: [plural.replace(/s$/, '')], singular: plural.replace(/s$/, ''),
      schema: { file: 'crd', crdFile: 'kube-ovn', plural }, statusSubresource: plural !== 'ips', strictSpec: true,
      subresources: plural !== 'ips' ? ['status'] : [],
    };
  }),
  {
    group: '', version: 'v1', plural: 'pods', kind: 'Pod', listKind: 'PodList', namespaced: true, shortNames: ['po'], singular: 'pod',
    schema: { file: 'kubernetes-core', object: 'io.k8s.api.core.v1.Pod', spec: 'io.k8s.api.core.v1.PodSpec' },
    statusSubresource: true, strictSpec: true, subresources: ['status', 'resize', 'exec'],
  },
  {
    group: '', version: 'v1', plural: 'secrets', kind: 'Secret', listKind: 'SecretList', namespaced: true, shortNames: [], singular: 'secret',
    schema: { file: 'kubernetes-core', object: 'io.k8s.api.core.v1.Secret' }, statusSubresource: false, strictSpec: true, subresources: [],
  },
  {
    group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', listKind: 'NamespaceList', namespaced: false, shortNames: ['ns'],
    singular: 'namespace', schema: { file: 'kubernetes-core', object: 'io.k8s.api.core.v1.Namespace', spec: 'io.k8s.api.core.v1.NamespaceSpec' },
    statusSubresource: true, strictSpec: true, subresources: ['status'],
  },
  {
    group: '', version: 'v1', plural: 'nodes', kind: 'Node', listKind: 'NodeList', namespaced: false, shortNames: ['no'], singular: 'node',
    schema: null, statusSubresource: true, strictSpec: false, readOnly: true, subresources: ['status'],
  },
];

export function findResourceType(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function resourceTypeByKind(kind: string): ResourceType {
  const type = resourceTypes.find((t) => t.kind === kind);
  if (!type) throw new Error(`no resource type for kind ${kind}`);
  return type;
}

/** "virtualmachines.kubevirt.io", "pods": the qualified resource name the API server puts in messages. */
export const qualifiedResource = (type: ResourceType): string => (type.group === '' ? type.plural : `${type.plural}.${type.group}`);
