import { InvalidConfigError, loadConfig } from '../../../src/config/load-config.js';

describe('loadConfig', () => {
  it('given no variables, when loaded, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ EVENT_STORE: 'sqlite', DATA_DIR: './data', PORT: 8774, HOST: '127.0.0.1' });
  });

  it('given numbers as strings, when loaded, then they are numbers', () => {
    expect(loadConfig({ PORT: '9000', READY_MAX_PROJECTION_LAG: '5' })).toMatchObject({ PORT: 9000, READY_MAX_PROJECTION_LAG: 5 });
  });

  it('given several bad values, when loaded, then one clear line names each variable and its value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENT_STORE: 'mysql', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    const problems = (error as InvalidConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^PORT="eighty": /);
    expect(problems.some((p) => p.startsWith('EVENT_STORE="mysql": '))).toBe(true);
    expect(problems.some((p) => p.startsWith('LOG_LEVEL="loud": '))).toBe(true);
  });

  it('given EVENT_STORE=postgres without DATABASE_URL, when loaded, then DATABASE_URL is named as required', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(/DATABASE_URL: is required when EVENT_STORE=postgres/);
  });

  it('given a DATABASE_URL that is not postgres, when loaded, then refused', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL="mysql:\/\/x": must be a postgres/);
  });

  it('given a lease renewed less often than twice per TTL, when loaded, then LEASE_RENEW_INTERVAL_SECONDS is refused', () => {
    expect(() => loadConfig({ LEASE_TTL_SECONDS: '4', LEASE_RENEW_INTERVAL_SECONDS: '3' })).toThrow(/LEASE_RENEW_INTERVAL_SECONDS="3": must be at most half of LEASE_TTL_SECONDS/);
    expect(loadConfig({ LEASE_TTL_SECONDS: '2', LEASE_RENEW_INTERVAL_SECONDS: '0.5' })).toMatchObject({ LEASE_TTL_SECONDS: 2, LEASE_RENEW_INTERVAL_SECONDS: 0.5 });
  });

  it('given no lease settings, when loaded, then the lease lasts 10 s, is renewed every 3 s, and one process serves the API', () => {
    expect(loadConfig({})).toMatchObject({ LEASE_TTL_SECONDS: 10, LEASE_RENEW_INTERVAL_SECONDS: 3, API_PROCESSES: 1, BACKGROUND_PROCESS: false, PROCESS_ROLE: 'all' });
  });

  it('given process roles, when loaded, then api and background are taken and anything else is refused', () => {
    expect(loadConfig({ PROCESS_ROLE: 'api', BACKGROUND_PROCESS: 'true' })).toMatchObject({ PROCESS_ROLE: 'api', BACKGROUND_PROCESS: true });
    expect(loadConfig({ PROCESS_ROLE: 'background' })).toMatchObject({ PROCESS_ROLE: 'background' });
    expect(() => loadConfig({ PROCESS_ROLE: 'worker' })).toThrow(/PROCESS_ROLE="worker"/);
  });
});
