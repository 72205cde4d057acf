import type { Decider } from '../shared/decider.js';
import type { QuotaCommand } from './quota.commands.js';
import { InvalidQuotaError } from './quota.errors.js';
import type { QuotaEvent } from './quota.events.js';
import { QUOTA_RESOURCES, type QuotaSet } from './quota-resources.js';

/** The limits set for one project (resources not set follow the defaults). */
export type QuotaState = Partial<QuotaSet>;

const MAX = 2_147_483_647;

export function decide(command: QuotaCommand, state: QuotaState): QuotaEvent[] {
  switch (command.type) {
    case 'SetProjectQuotas': {
      const { projectId, limits } = command.data;
      for (const [resource, value] of Object.entries(limits)) {
        if (!(QUOTA_RESOURCES as readonly string[]).includes(resource)) throw new InvalidQuotaError(`Unknown quota resource ${resource}.`);
        if (!Number.isInteger(value) || value < -1 || value > MAX) {
          throw new InvalidQuotaError(`Quota limit ${String(value)} for ${resource} must be -1 (unlimited) or a whole number from 0 to ${MAX}.`);
        }
      }
      const changed = Object.fromEntries(Object.entries(limits).filter(([r, v]) => state[r as keyof QuotaSet] !== v)) as Partial<QuotaSet>;
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'ProjectQuotasSet', data: { projectId, limits: changed } }];
    }
    case 'ResetProjectQuotas':
      if (Object.keys(state).length === 0) return [];
      return [{ type: 'ProjectQuotasReset', data: { projectId: command.data.projectId } }];
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: QuotaState, event: QuotaEvent): QuotaState {
  switch (event.type) {
    case 'ProjectQuotasSet':
      return { ...state, ...event.data.limits };
    case 'ProjectQuotasReset':
      return {};
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const quotaDecider: Decider<QuotaCommand, QuotaEvent, QuotaState> = {
  decide: (command, state) => decide(command, state),
  evolve,
  initialState: () => ({}),
};
