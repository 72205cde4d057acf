import { findResourceType, type ResourceType } from '../resources.js';

/** What a URL under /api or /apis names, once parsed. */
export type ApiPath =
  | { kind: 'discovery'; path: string }
  | { kind: 'resource'; type: ResourceType; namespace?: string; name?: string; subresource?: string; legacyWatch: boolean }
  | { kind: 'action'; namespace: string; plural: string; name: string; action: string }
  | { kind: 'unknown' };

const decode = (s: string) => decodeURIComponent(s);

export function parseApiPath(pathname: string): ApiPath {
  const segments = pathname.split('/').filter((s) => s !== '').map(decode);
  if (segments.length === 0) return { kind: 'unknown' };
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    if (segments.length <= 2) return { kind: 'discovery', path: pathname };
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length <= 3) return { kind: 'discovery', path: pathname };
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else if (segments[0] === 'version' && segments.length === 1) {
    return { kind: 'discovery', path: pathname };
  } else return { kind: 'unknown' };

  if (group === 'subresources.kubevirt.io') {
    if (rest[0] === 'namespaces' && rest.length === 5) return { kind: 'action', namespace: rest[1]!, plural: rest[2]!, name: rest[3]!, action: rest[4]! };
    return { kind: 'unknown' };
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const nested = findResourceType(group, version, rest[2]!);
    if (nested && nested.namespaced) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
  }
  const type = findResourceType(group, version, rest[0] ?? '');
  if (!type || rest.length > 3) return { kind: 'unknown' };
  if (namespace === undefined && type.namespaced && rest.length > 1) return { kind: 'unknown' };
  return {
    kind: 'resource', type, ...(namespace !== undefined ? { namespace } : {}),
    ...(rest[1] !== undefined ? { name: rest[1] } : {}), ...(rest[2] !== undefined ? { subresource: rest[2] } : {}), legacyWatch,
  };
}
