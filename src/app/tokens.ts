/** Injection tokens for the things that are interfaces, not classes. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
export const CLUSTER = Symbol('CLUSTER');
export const HYPERVISOR = Symbol('HYPERVISOR');
/** The Infrastructure (src/app/infrastructure.ts) behind CLUSTER and HYPERVISOR. */
export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');
export const REDIS = Symbol('REDIS');
