import type { QuotaSet } from './quota-resources.js';

export type QuotaEvent =
  /** The limits given replace those resources' earlier values; the others are untouched. */
  | { type: 'ProjectQuotasSet'; data: { projectId: string; limits: Partial<QuotaSet> } }
  /** Back to the defaults for every resource. */
  | { type: 'ProjectQuotasReset'; data: { projectId: string } };

export type QuotaEventType = QuotaEvent['type'];

export const QUOTA_EVENT_VERSIONS: Record<QuotaEventType, number> = { ProjectQuotasSet: 1, ProjectQuotasReset: 1 };

export const quotaStreamId = (projectId: string): string => `quota-${projectId}`;
