import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';

/** Keys whose values never go into the audit trail, whatever the event. */
const SECRET_KEY = /pass|secret|token|user_?data|private|credential|sha256/i;
const MAX_TEXT = 200;

type Data = Record<string, unknown>;

/**
 * A short, secret-free summary of an event's data for the audit trail: the fields an operator reads
 * to see what happened, not the whole payload.
 */
export function summarizeEvent(event: RecordedEvent): Record<string, unknown> {
  const d = (event.data ?? {}) as Data;
  switch (event.type) {
    case 'VMCreated': {
      const flavor = (d.flavor ?? {}) as Data;
      return clean({
        name: d.name,
        flavorId: flavor.id,
        flavorName: flavor.name,
        vcpus: flavor.vcpus,
        ramMb: flavor.ramMb,
        imageRef: d.imageRef,
        keyName: d.keyName,
        availabilityZone: d.availabilityZone,
        userDataPresent: d.userDataSha256 !== null && d.userDataSha256 !== undefined,
      });
    }
    case 'VMRebootRequested':
      return clean({ taskId: (d.task as Data | undefined)?.taskId, rebootType: d.rebootType });
    case 'TaskStepFailed':
    case 'TaskFailed': {
      const error = (d.error ?? {}) as Data;
      return clean({ taskId: d.taskId, action: d.action, stepId: d.stepId, errorCode: error.code, errorMessage: error.message });
    }
    case 'FlavorExtraSpecsSet':
      return clean({ id: d.id, keys: Object.keys((d.extraSpecs ?? {}) as Data).join(',') });
    default:
      return clean(flatten(d), true);
  }
}

/** Top-level scalars, plus a task's id, of an event we have no special summary for. */
function flatten(d: Data): Data {
  const out: Data = {};
  // for-in rather than Object.entries: this runs for most events of a replay.
  for (const key in d) {
    const value = d[key];
    if (key === 'task' && value && typeof value === 'object') out.taskId = (value as Data).taskId;
    else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

/**
 * Drops absent fields and shortens long text; with `dropSecrets` also drops whatever looks like a
 * secret, for events we do not know and which may carry one under any name.
 */
function clean(d: Data, dropSecrets = false): Data {
  const out: Data = {};
  for (const key in d) {
    const value = d[key];
    if (value === undefined || (dropSecrets && SECRET_KEY.test(key))) continue;
    out[key] = typeof value === 'string' && value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  }
  return out;
}
