import { formatMicroversion, MAX_MICROVERSION, MIN_MICROVERSION } from './microversion.js';

/**
 * Nova's version documents. v2.0 is the legacy API, served by the v2.1 code with microversions off;
 * its link answers with its own version document. Nova's updated stamps, as it publishes them.
 */
function v20(base: string) {
  return {
    id: 'v2.0',
    status: 'SUPPORTED',
    version: '',
    min_version: '',
    updated: '2011-01-21T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/compute/v2/` }],
  };
}

function v21(base: string) {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: formatMicroversion(MAX_MICROVERSION),
    min_version: formatMicroversion(MIN_MICROVERSION),
    updated: '2013-07-23T11:33:21Z',
    links: [{ rel: 'self', href: `${base}/compute/v2.1/` }],
  };
}

const DESCRIBED_BY = { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' };

/** GET /compute: every major version. */
export function computeVersionsDocument(base: string) {
  return { versions: [v20(base), v21(base)] };
}

/** GET /compute/v2.1/. */
export function computeV21Document(base: string) {
  const v = v21(base);
  return {
    version: {
      ...v,
      links: [...v.links, DESCRIBED_BY],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    },
  };
}

/** GET /compute/v2/. */
export function computeV20Document(base: string) {
  const v = v20(base);
  return {
    version: {
      ...v,
      links: [...v.links, DESCRIBED_BY],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }],
    },
  };
}
