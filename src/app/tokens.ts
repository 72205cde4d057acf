/** Injection tokens for the things that are interfaces, not classes. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');
export const JOB_QUEUE = Symbol('JOB_QUEUE');
export const CLUSTER = Symbol('CLUSTER');
export const HYPERVISOR = Symbol('HYPERVISOR');
export const SIMULATION = Symbol('SIMULATION');
export const REDIS = Symbol('REDIS');
