import type { QuotaSet } from './quota-resources.js';

export type QuotaCommand =
  | { type: 'SetProjectQuotas'; data: { projectId: string; limits: Partial<QuotaSet> } }
  | { type: 'ResetProjectQuotas'; data: { projectId: string } };
