import { PUBLIC, startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';
import { RSA_FINGERPRINT, RSA_PUBLIC_KEY } from '../../unit/keypair/rsa-key.fixture.js';

const KEYPAIRS = '/compute/v2.1/os-keypairs';

describe('compute key pairs API', () => {
  let c: CatalogueApp;
  let demoUserId: string;
  beforeAll(async () => {
    c = await startCatalogueApp();
    const created = await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'whoami', public_key: RSA_PUBLIC_KEY } });
    demoUserId = created.json().keypair.user_id;
  });
  afterAll(async () => {
    await c?.close();
  });

  it('given no token, when key pairs are listed, then 401', async () => {
    expect((await c.call('GET', KEYPAIRS, null)).status).toBe(401);
  });

  it('given a public key, when imported at 2.1 and 2.2, then 200/201 with the keys of each microversion and the MD5 fingerprint', async () => {
    const v21 = await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'k21', public_key: RSA_PUBLIC_KEY } });
    expect(v21.status).toBe(200);
    expect(v21.json()).toEqual({ keypair: { fingerprint: RSA_FINGERPRINT, name: 'k21', public_key: RSA_PUBLIC_KEY, user_id: demoUserId } });
    const v22 = await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'k22', public_key: RSA_PUBLIC_KEY, type: 'ssh' } }, '2.2');
    expect(v22.status).toBe(201);
    expect(Object.keys(v22.json().keypair).sort()).toEqual(['fingerprint', 'name', 'public_key', 'type', 'user_id']);
  });

  it('given no public key, when created, then an ed25519 key is generated and its private key returned once', async () => {
    const res = await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'generated' } }, '2.2');
    expect(res.status).toBe(201);
    const k = res.json().keypair;
    expect(k.public_key).toMatch(/^ssh-ed25519 AAAA/);
    expect(k.private_key).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const shown = await c.call('GET', `${KEYPAIRS}/generated`, c.demo, undefined, '2.2');
    expect(shown.json().keypair.private_key).toBeUndefined();
    expect(shown.text).not.toContain('PRIVATE KEY');
  });

  it('given key pairs, when listed and shown, then Nova shapes: wrapped list entries, full detail on show', async () => {
    const list = await c.call('GET', KEYPAIRS, c.demo, undefined, '2.2');
    const entries = list.json().keypairs as Array<{ keypair: Record<string, unknown> }>;
    expect(entries.map((e) => e.keypair.name)).toEqual(expect.arrayContaining(['k21', 'whoami']));
    expect(Object.keys(entries[0]!.keypair).sort()).toEqual(['fingerprint', 'name', 'public_key', 'type']);
    const show = await c.call('GET', `${KEYPAIRS}/k21`, c.demo, undefined, '2.2');
    expect(show.status).toBe(200);
    expect(Object.keys(show.json().keypair).sort()).toEqual(
      ['created_at', 'deleted', 'deleted_at', 'fingerprint', 'id', 'name', 'public_key', 'type', 'updated_at', 'user_id'].sort(),
    );
    expect(show.json().keypair).toMatchObject({ deleted: false, deleted_at: null, updated_at: null, user_id: demoUserId, type: 'ssh' });
    expect(typeof show.json().keypair.id).toBe('number');
    expect(show.json().keypair.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('given paging at 2.35, when listed with a limit, then a next link with the last name as marker', async () => {
    const page = await c.call('GET', `${KEYPAIRS}?limit=1`, c.demo, undefined, '2.35');
    expect(page.json().keypairs).toHaveLength(1);
    const first = page.json().keypairs[0].keypair.name;
    expect(page.json().keypairs_links).toEqual([{ href: `${PUBLIC}/compute/v2.1/os-keypairs?limit=1&marker=${first}`, rel: 'next' }]);
    const next = await c.call('GET', `${KEYPAIRS}?limit=1&marker=${first}`, c.demo, undefined, '2.35');
    expect(next.json().keypairs[0].keypair.name).not.toBe(first);
    expect((await c.call('GET', `${KEYPAIRS}?marker=nope`, c.demo, undefined, '2.35')).status).toBe(400);
  });

  it('given another user, when they list or show, then they see only their own (404 for the other user\'s name)', async () => {
    const list = await c.call('GET', KEYPAIRS, c.demo2);
    expect(list.json().keypairs).toEqual([]);
    const other = await c.call('GET', `${KEYPAIRS}/k21`, c.demo2);
    expect(other.status).toBe(404);
    expect(other.json().itemNotFound.message).toMatch(/^Keypair k21 not found for user /);
  });

  it('given admin at 2.10, when naming a user_id, then it acts for that user; a member naming another user gets 403', async () => {
    const listed = await c.call('GET', `${KEYPAIRS}?user_id=${demoUserId}`, c.admin, undefined, '2.10');
    expect(listed.json().keypairs.map((e: { keypair: { name: string } }) => e.keypair.name)).toContain('k21');
    const made = await c.call('POST', KEYPAIRS, c.admin, { keypair: { name: 'for-demo', public_key: RSA_PUBLIC_KEY, user_id: demoUserId } }, '2.10');
    expect(made.status).toBe(201);
    expect(made.json().keypair.user_id).toBe(demoUserId);
    expect((await c.call('GET', `${KEYPAIRS}/for-demo`, c.demo)).status).toBe(200);
    expect((await c.call('GET', `${KEYPAIRS}?user_id=someone-else`, c.demo2, undefined, '2.10')).status).toBe(403);
    // Before 2.10 user_id is not a body field.
    expect((await c.call('POST', KEYPAIRS, c.admin, { keypair: { name: 'x', public_key: RSA_PUBLIC_KEY, user_id: demoUserId } }, '2.9')).status).toBe(400);
  });

  it('given bad requests, when creating, then 400 (bad key, bad name, no body, unknown key) and 409 on a duplicate', async () => {
    const bad = await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'bad', public_key: 'ssh-rsa nonsense' } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ badRequest: { code: 400, message: 'Keypair data is invalid: failed to generate fingerprint' } });
    expect((await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'a/b', public_key: RSA_PUBLIC_KEY } })).status).toBe(400);
    expect((await c.call('POST', KEYPAIRS, c.demo, undefined)).status).toBe(400);
    expect((await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'z', colour: 'red' } })).status).toBe(400);
    const dup = await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'k21', public_key: RSA_PUBLIC_KEY } });
    expect(dup.status).toBe(409);
    expect(dup.json()).toEqual({ conflictingRequest: { code: 409, message: "Key pair 'k21' already exists." } });
    // 2.92: a public key is required.
    expect((await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'nokey' } }, '2.92')).status).toBe(400);
  });

  it("given a key_pairs quota of 1, when a user imports a second key, then 403 Nova's quota message", async () => {
    const token = c.demo2['x-auth-token']!;
    const project = (await c.t.request('GET', '/identity/v3/auth/tokens', { headers: { 'x-auth-token': token, 'x-subject-token': token } })).json().token.project.id;
    expect((await c.call('PUT', `/compute/v2.1/os-quota-sets/${project}`, c.admin, { quota_set: { key_pairs: 1 } })).status).toBe(200);
    expect((await c.call('POST', KEYPAIRS, c.demo2, { keypair: { name: 'one', public_key: RSA_PUBLIC_KEY } })).status).toBe(200);
    const two = await c.call('POST', KEYPAIRS, c.demo2, { keypair: { name: 'two', public_key: RSA_PUBLIC_KEY } });
    expect(two.status).toBe(403);
    expect(two.json()).toEqual({ forbidden: { code: 403, message: 'Quota exceeded, too many key pairs.' } });
    await c.call('DELETE', `${KEYPAIRS}/one`, c.demo2);
  });

  it('given a reader, when creating or deleting, then 403', async () => {
    expect((await c.call('POST', KEYPAIRS, c.reader, { keypair: { name: 'r', public_key: RSA_PUBLIC_KEY } })).status).toBe(403);
    expect((await c.call('DELETE', `${KEYPAIRS}/whoami`, c.reader)).status).toBe(403);
  });

  it('given a key pair, when deleted at 2.1 and 2.2, then 202/204, it is gone, and again is 404', async () => {
    await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'gone1', public_key: RSA_PUBLIC_KEY } });
    await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'gone2', public_key: RSA_PUBLIC_KEY } });
    expect((await c.call('DELETE', `${KEYPAIRS}/gone1`, c.demo)).status).toBe(202);
    const v22 = await c.call('DELETE', `${KEYPAIRS}/gone2`, c.demo, undefined, '2.2');
    expect(v22.status).toBe(204);
    expect((await c.call('GET', `${KEYPAIRS}/gone2`, c.demo)).status).toBe(404);
    expect((await c.call('DELETE', `${KEYPAIRS}/gone2`, c.demo)).status).toBe(404);
    // The name is free again.
    expect((await c.call('POST', KEYPAIRS, c.demo, { keypair: { name: 'gone2', public_key: RSA_PUBLIC_KEY } })).status).toBe(200);
  });
});
