/** The identity API's paths (and `/`, its version discovery), whose errors take Keystone's body form. */
export function isIdentityPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]!;
  return path === '/' || path === '/identity' || path.startsWith('/identity/');
}
