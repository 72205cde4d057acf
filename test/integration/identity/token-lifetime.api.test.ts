import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';
import { UNAUTHORIZED } from './identity-requests.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('token expiry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', TOKEN_TTL_SECONDS: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a one-second token, when it is used after it expired, then 401 on the API and on validation', async () => {
    const token = await t.login('admin');
    const body = (await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...authHeaders(token), 'x-subject-token': token } })).json();
    expect(Date.parse(body.token.expires_at) - Date.parse(body.token.issued_at)).toBe(1000);
    expect((await t.request('GET', '/queues', { headers: authHeaders(token) })).status).toBe(200);

    await sleep(1100);

    const api = await t.request('GET', '/queues', { headers: authHeaders(token) });
    expect(api.status).toBe(401);
    expect(api.json()).toEqual({ unauthorized: { code: 401, message: 'The request you have made requires authentication.' } });
    const validate = await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...authHeaders(token), 'x-subject-token': token } });
    expect(validate.status).toBe(401);
    expect(validate.json()).toEqual(UNAUTHORIZED);
  });
});

describe('the token secret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'virtplane-identity-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given no TOKEN_SECRET, when the service starts, then it writes DATA_DIR/token-secret readable by its user only, and after a restart its tokens still work', async () => {
    const first = await startTestApp({ SIM_PERSIST: 'false' }, { dataDir });
    let token: string;
    try {
      token = await first.login('admin');
    } finally {
      await first.close();
    }
    const file = join(dataDir, 'token-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await startTestApp({ SIM_PERSIST: 'false' }, { dataDir });
    try {
      expect((await second.request('GET', '/queues', { headers: authHeaders(token) })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('given a token revoked before a restart, when used after it, then still 401', async () => {
    const first = await startTestApp({ SIM_PERSIST: 'false' }, { dataDir });
    let token: string;
    try {
      token = await first.login('admin');
      expect((await first.request('DELETE', '/identity/v3/auth/tokens', { headers: { ...authHeaders(token), 'x-subject-token': token } })).status).toBe(204);
    } finally {
      await first.close();
    }
    const second = await startTestApp({ SIM_PERSIST: 'false' }, { dataDir });
    try {
      expect((await second.request('GET', '/queues', { headers: authHeaders(token) })).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('given TOKEN_SECRET, when tokens are issued, then no secret file is written and another secret refuses them', async () => {
    const secret = 'a'.repeat(40);
    const first = await startTestApp({ SIM_PERSIST: 'false', TOKEN_SECRET: secret }, { dataDir });
    let token: string;
    try {
      token = await first.login('admin');
    } finally {
      await first.close();
    }
    expect(() => statSync(join(dataDir, 'token-secret'))).toThrow();

    const other = await startTestApp({ SIM_PERSIST: 'false', TOKEN_SECRET: 'b'.repeat(40) }, { dataDir });
    try {
      expect((await other.request('GET', '/queues', { headers: authHeaders(token) })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
