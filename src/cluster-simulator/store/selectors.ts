import { badRequest } from '../api-errors.js';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type Selector = (object: Record<string, unknown>) => boolean;

/** Splits on commas outside parentheses: "a in (x,y),b" is two requirements. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { terms.push(current.trim()); current = ''; } else current += ch;
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}

function parseRequirement(term: string): Requirement {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '') };
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
  m = /^!\s*([\w./-]+)$/.exec(term);
  if (m) return { key: m[1]!, op: '!exists' };
  m = /^([\w./-]+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'exists' };
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}

function matches(requirements: Requirement[], labels: Record<string, string>): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists': return has;
      case '!exists': return !has;
      case 'in': return has && r.values.includes(labels[r.key]!);
      case 'notin': return !has || !r.values.includes(labels[r.key]!);
    }
  });
}

/** labelSelector: =, ==, !=, in, notin, key (exists), !key. */
export function parseLabelSelector(text: string | null): Selector {
  if (!text) return () => true;
  const requirements = splitTerms(text).map(parseRequirement);
  return (object) => matches(requirements, ((object.metadata as { labels?: Record<string, string> })?.labels ?? {}));
}

function valueAt(object: Record<string, unknown>, path: string): string | undefined {
  let node: unknown = object;
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node === undefined || node === null ? undefined : String(node);
}

/** fieldSelector: metadata.name, metadata.namespace and other scalar paths (spec.nodeName, status.phase) with =, ==, !=. */
export function parseFieldSelector(text: string | null): Selector {
  if (!text) return () => true;
  const terms = splitTerms(text).map((term) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    return { path: m[1]!, negate: m[2] === '!=', value: m[3]! };
  });
  return (object) => terms.every((t) => ((valueAt(object, t.path) ?? '') === t.value) !== t.negate);
}
