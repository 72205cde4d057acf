/**
 * The service on the embedded cluster simulator, quick for tests: a 10 ms controller step, job retries
 * after 10-50 ms, and no power-state sync running into what a test does. Spread it and add the rest.
 */
export const FAST_SIMULATOR_ENV: Readonly<Record<string, string>> = {
  CLUSTER_BACKEND: 'simulator',
  SIM_STEP_MS: '10',
  JOB_BACKOFF_BASE_MS: '10',
  JOB_BACKOFF_CAP_MS: '50',
  POWER_SYNC_INTERVAL_SECONDS: '600',
};
