import { XMLParser } from 'fast-xml-parser';
import { PermanentAdapterError } from '../adapter-errors.js';

/** The sizes a libvirt domain XML holds: live (`dumpxml`) or persistent (`dumpxml --inactive`). */
export interface DomainSizes {
  name: string;
  uuid: string | null;
  /** The live XML of a running domain carries its `id`; an inactive one's does not. */
  active: boolean;
  vcpus: { current: number; max: number };
  /** `<currentMemory>` (what the balloon gives the guest) within `<memory>` (the balloon's ceiling). */
  memoryKiB: { current: number; max: number };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseAttributeValue: false,
  parseTagValue: false,
  textNodeName: '#text',
  processEntities: true,
});

const UNIT_KIB: Record<string, number> = {
  b: 1 / 1024, bytes: 1 / 1024,
  k: 1, kib: 1, kb: 1000 / 1024,
  m: 1024, mib: 1024, mb: 1_000_000 / 1024,
  g: 1024 ** 2, gib: 1024 ** 2, gb: 1_000_000_000 / 1024,
  t: 1024 ** 3, tib: 1024 ** 3, tb: 1_000_000_000_000 / 1024,
};

/** Parses `<domain>` XML; libvirt's defaults apply where it omits something (vcpu current = max). */
export function parseDomainXml(xml: string): DomainSizes {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (error) {
    throw new PermanentAdapterError('Invalid', `libvirt returned XML that does not parse: ${String(error)}`, { cause: error });
  }
  const domain = (doc as { domain?: Record<string, unknown> }).domain;
  if (!domain || typeof domain !== 'object') throw new PermanentAdapterError('Invalid', 'libvirt returned XML without a <domain> element');
  const vcpu = element(domain.vcpu);
  const maxVcpus = integer(vcpu.text ?? '1', 'vcpu');
  const memory = element(domain.memory);
  const current = element(domain.currentMemory ?? domain.memory);
  const maxKiB = kib(memory, 'memory');
  return {
    name: element(domain.name).text ?? '',
    uuid: element(domain.uuid).text ?? null,
    active: element(domain).attributes.id !== undefined && element(domain).attributes.id !== '-1',
    vcpus: { current: vcpu.attributes.current !== undefined ? integer(vcpu.attributes.current, 'vcpu current') : maxVcpus, max: maxVcpus },
    memoryKiB: { current: kib(current, 'currentMemory'), max: maxKiB },
  };
}

interface Element {
  text: string | undefined;
  attributes: Record<string, string>;
}

function element(node: unknown): Element {
  if (node === undefined || node === null) return { text: undefined, attributes: {} };
  if (typeof node !== 'object') return { text: String(node).trim(), attributes: {} };
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(node)) if (key.startsWith('@')) attributes[key.slice(1)] = String(value);
  const text = (node as Record<string, unknown>)['#text'];
  return { text: text === undefined ? undefined : String(text).trim(), attributes };
}

function integer(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new PermanentAdapterError('Invalid', `libvirt's domain XML has a bad ${what}: ${value}`);
  return n;
}

function kib(node: Element, what: string): number {
  const unit = (node.attributes.unit ?? 'KiB').toLowerCase();
  const factor = UNIT_KIB[unit];
  if (factor === undefined) throw new PermanentAdapterError('Invalid', `libvirt's domain XML has an unknown ${what} unit: ${unit}`);
  return Math.round(integer(node.text ?? '0', what) * factor);
}
