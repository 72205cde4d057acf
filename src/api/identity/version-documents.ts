/**
 * Keystone's version discovery: the one version offered (v3, at the level of features Keystone
 * reported as v3.14) with its link and media type. keystoneauth reads these to find where to POST
 * auth/tokens, so the link must end in a slash.
 */
export function identityV3Version(publicUrl: string) {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${publicUrl}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

/** GET / and GET /identity: 300 Multiple Choices, with every version (there is one). */
export function versionsDocument(publicUrl: string) {
  return { versions: { values: [identityV3Version(publicUrl)] } };
}

/** GET /identity/v3. */
export function versionDocument(publicUrl: string) {
  return { version: identityV3Version(publicUrl) };
}
