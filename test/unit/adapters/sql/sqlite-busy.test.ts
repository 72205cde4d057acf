import { isSqliteBusy } from '../../../../src/adapters/sql/sqlite-busy.js';

describe('isSqliteBusy', () => {
  it.each(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED'])('given %s, then it is a lock that passes with time', (code) => {
    expect(isSqliteBusy(Object.assign(new Error('database is locked'), { code }))).toBe(true);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CORRUPT', undefined])('given %s, then it is not', (code) => {
    expect(isSqliteBusy(Object.assign(new Error('x'), { code }))).toBe(false);
    expect(isSqliteBusy(null)).toBe(false);
  });
});
