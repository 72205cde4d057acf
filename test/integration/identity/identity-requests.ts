/** Bodies for POST /identity/v3/auth/tokens, as keystoneauth sends them. */
export function passwordAuth(
  user: { name: string; domain?: { id: string } | { name: string } } | { id: string },
  password: string,
  scope?: unknown,
) {
  const u = 'id' in user ? { id: user.id, password } : { name: user.name, domain: user.domain ?? { id: 'default' }, password };
  return { auth: { identity: { methods: ['password'], password: { user: u } }, ...(scope === undefined ? {} : { scope }) } };
}

export const projectScope = (project: { name: string; domain?: { id: string } | { name: string } } | { id: string }) => ({
  project: 'id' in project ? { id: project.id } : { name: project.name, domain: project.domain ?? { id: 'default' } },
});

export const UNAUTHORIZED = { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } };
