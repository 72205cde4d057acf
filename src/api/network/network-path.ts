/** The network API's paths, whose errors take Neutron's body form. */
export function isNetworkPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]!;
  return path === '/network' || path.startsWith('/network/');
}
