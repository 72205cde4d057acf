import { join } from 'node:path';
import { jest } from '@jest/globals';
import { runMigrations } from '../../../../src/adapters/sql/migration-runner.js';
import { openSqlDatabase } from '../../../../src/adapters/sql/open-sql-database.js';
import type { SqlDatabase } from '../../../../src/adapters/sql/sql-database.js';
import { TokenRevocations } from '../../../../src/api/auth/token-revocations.js';
import { TokenService } from '../../../../src/api/auth/token.service.js';
import { VerifiedTokenCache } from '../../../../src/api/auth/verified-token-cache.js';
import { authorize } from '../../../../src/identity/authenticate.js';
import { IdentityDirectory } from '../../../../src/identity/identity-directory.js';
import { InvalidTokenError } from '../../../../src/identity/invalid-token.error.js';
import { TokenCodec } from '../../../../src/identity/token-codec.js';

const directory = IdentityDirectory.fromSeed({
  domains: [{ id: 'default', name: 'Default' }],
  projects: [{ name: 'web' }],
  users: [{ name: 'ann', password: 'ann-pw', roles: [{ project: 'web', role: 'member' }] }],
});
const ann = directory.userByName('ann', { id: 'default' })!;
const codec = new TokenCodec(Buffer.from('0123456789abcdef0123456789abcdef'));
const CACHE_TTL_MS = 5_000;
const TOKEN_TTL_SECONDS = 3_600;

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('TokenService with its verified-token cache', () => {
  let db: SqlDatabase;
  let clock: number;
  let revocations: TokenRevocations;
  let service: TokenService;
  const serviceOn = (cache = new VerifiedTokenCache({ maxEntries: 100, ttlMs: CACHE_TTL_MS })) =>
    new TokenService(codec, directory, revocations, cache, TOKEN_TTL_SECONDS, () => clock);
  const issue = () => service.issue(authorize(directory, ann, 'default'), ['password']).token;

  beforeEach(async () => {
    db = openSqlDatabase('sqlite::memory:');
    await runMigrations(db, { directory: join(process.cwd(), 'migrations', 'identity') });
    clock = 1_000_000;
    revocations = new TokenRevocations(db);
    service = serviceOn();
  });

  afterEach(async () => {
    await db.close();
  });

  it('given a token checked once, when used again within the cache TTL, then it is accepted without another revoked-token query; after the TTL it is queried again', async () => {
    const token = issue();
    const queries = jest.spyOn(revocations, 'isRevoked');

    await service.verify(token);
    clock += CACHE_TTL_MS - 1;
    expect((await service.verify(token)).user.id).toBe(ann.id);
    expect(queries).toHaveBeenCalledTimes(1);

    clock += 1;
    await service.verify(token);
    expect(queries).toHaveBeenCalledTimes(2);
  });

  it('given a cached token, when it is revoked, then the very next use is refused', async () => {
    const token = issue();
    const verified = await service.verify(token);

    await service.revoke(verified);

    expect(await reasonOf(service.verify(token))).toBe('revoked');
  });

  it('given a check whose revoked-token query ran before a revocation, when it finishes after it, then its answer is not kept', async () => {
    const token = issue();
    const verified = await service.verify(token);
    clock += CACHE_TTL_MS; // the cached check is over: the next use queries again
    let release!: () => void;
    const queried = new Promise<void>((resolve) => (release = resolve));
    jest.spyOn(revocations, 'isRevoked').mockImplementationOnce(async () => {
      await queried;
      return false; // what the store said before the revocation was written
    });

    const racing = service.verify(token);
    await service.revoke(verified);
    release();
    await racing;

    expect(await reasonOf(service.verify(token))).toBe('revoked');
  });

  it('given a token revoked by another process sharing the store, when used here, then it is refused at the latest once the cache TTL has passed', async () => {
    const token = issue();
    const verified = await service.verify(token);
    const otherProcess = serviceOn();

    await otherProcess.revoke(verified);
    expect(await reasonOf(otherProcess.verify(token))).toBe('revoked');

    clock += CACHE_TTL_MS;
    expect(await reasonOf(service.verify(token))).toBe('revoked');
  });

  it('given a cached token, when it expires before the cache TTL ends, then it is refused as expired', async () => {
    clock = 1_000_000;
    const token = issue();
    await service.verify(token);

    clock = 1_000_000 + TOKEN_TTL_SECONDS * 1000;

    expect(await reasonOf(service.verify(token))).toBe('expired');
  });

  it('given more tokens than the cache holds, when all are used, then it keeps only its maximum', async () => {
    const cache = new VerifiedTokenCache({ maxEntries: 3, ttlMs: CACHE_TTL_MS });
    service = serviceOn(cache);

    for (let i = 0; i < 5; i++) await service.verify(issue());

    expect(cache.size).toBe(3);
  });

  it('given a forged copy of a cached token, when used, then it is refused', async () => {
    const token = issue();
    await service.verify(token);
    const [payload] = token.split('.') as [string, string];

    expect(await reasonOf(service.verify(`${payload}.${'A'.repeat(43)}`))).toBe('bad-signature');
  });
});
