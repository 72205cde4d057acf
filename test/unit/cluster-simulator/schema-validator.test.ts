import { resourceTypeByKind } from '../../../src/cluster-simulator/resources.js';
import { SchemaValidator } from '../../../src/cluster-simulator/validation/schema-validator.js';

const validator = SchemaValidator.shared();
const vm = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'web-01', namespace: 'a' }, spec, ...extra,
});
const template = { spec: { domain: { devices: {}, memory: { guest: '1Gi' } } } };

describe('schema validation against the published definitions', () => {
  it('accepts the VirtualMachine of kubevirt-api.md §1 shape', () => {
    expect(validator.validate(resourceTypeByKind('VirtualMachine'), vm({ runStrategy: 'Always', template }))).toEqual([]);
  });

  it('refuses unknown spec fields anywhere below spec, as KubeVirt\'s webhook', () => {
    const causes = validator.validate(resourceTypeByKind('VirtualMachine'), vm({ runStrategy: 'Always', template: { spec: { domain: { devices: { interfacez: [] } } } } }));
    expect(causes).toEqual([expect.objectContaining({ field: 'spec.template.spec.domain.devices.interfacez', reason: 'FieldValueInvalid' })]);
  });

  it('refuses unknown top-level keys and a missing spec', () => {
    expect(validator.validate(resourceTypeByKind('VirtualMachine'), vm({ template }, { extra: 1 }))).toEqual([expect.objectContaining({ field: 'extra' })]);
    const { spec: _spec, ...withoutSpec } = vm({ template });
    expect(validator.validate(resourceTypeByKind('VirtualMachine'), withoutSpec)).toEqual([expect.objectContaining({ field: 'spec', reason: 'FieldValueRequired' })]);
  });

  it('validates status for types only: unknown status fields pass, wrong types do not', () => {
    expect(validator.validate(resourceTypeByKind('VirtualMachine'), vm({ template }, { status: { somethingNew: 1 } }))).toEqual([]);
    expect(validator.validate(resourceTypeByKind('VirtualMachine'), vm({ template }, { status: { ready: 'yes' } }))).toEqual([expect.objectContaining({ field: 'status.ready' })]);
  });

  it('takes numbers for core Quantities and IntOrStrings, refuses objects', () => {
    const pod = (cpu: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }] } });
    expect(validator.validate(resourceTypeByKind('Pod'), pod(2))).toEqual([]);
    expect(validator.validate(resourceTypeByKind('Pod'), pod('500m'))).toEqual([]);
    expect(validator.validate(resourceTypeByKind('Pod'), pod({ n: 1 }))).not.toEqual([]);
  });

  it('validates a NAD against its CRD schema: config must be a string, unknown spec fields refused', () => {
    const nad = (spec: Record<string, unknown>) => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'n' }, spec });
    expect(validator.validate(resourceTypeByKind('NetworkAttachmentDefinition'), nad({ config: '{}' }))).toEqual([]);
    expect(validator.validate(resourceTypeByKind('NetworkAttachmentDefinition'), nad({ config: {} }))).toEqual([expect.objectContaining({ field: 'spec.config' })]);
    expect(validator.validate(resourceTypeByKind('NetworkAttachmentDefinition'), nad({ conf: '{}' }))).toEqual([expect.objectContaining({ field: 'spec.conf' })]);
  });

  it('validates a DataVolume spec strictly', () => {
    const dv = (spec: Record<string, unknown>) => ({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { name: 'd' }, spec });
    expect(validator.validate(resourceTypeByKind('DataVolume'), dv({ source: { registry: { url: 'docker://x' } }, storage: { resources: { requests: { storage: '1Gi' } } } }))).toEqual([]);
    expect(validator.validate(resourceTypeByKind('DataVolume'), dv({ source: { registry: { uri: 'docker://x' } } }))).toEqual([expect.objectContaining({ field: 'spec.source.registry.uri' })]);
  });
});
