import { DomainError } from '../shared/domain-error.js';

/** Nova's InstanceInvalidState: "Cannot 'stop' instance <id> while it is in vm_state stopped". */
export class InstanceInvalidStateError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'InstanceInvalidState';
  constructor(
    readonly method: string,
    readonly vmId: string,
    readonly attribute: 'vm_state' | 'task_state',
    readonly state: string | null,
  ) {
    super(`Cannot '${method}' instance ${vmId} while it is in ${attribute} ${state ?? 'None'}`);
  }
}

export class InstanceNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'InstanceNotFound';
  constructor(readonly vmId: string) {
    super(`Instance ${vmId} could not be found.`);
  }
}

export class InstanceExistsError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'InstanceExists';
  constructor(readonly vmId: string) {
    super(`Instance ${vmId} already exists.`);
  }
}

export class InvalidServerInputError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidInput';
}

/** A step result for a task this VM never ran. */
export class TaskNotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'TaskNotFound';
  constructor(readonly vmId: string, readonly taskId: string) {
    super(`Instance ${vmId} has no task ${taskId}.`);
  }
}

/** A step result naming a step the running task does not have. */
export class StepNotInTaskError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'StepNotInTask';
  constructor(readonly taskId: string, readonly stepId: string) {
    super(`Task ${taskId} has no step ${stepId}.`);
  }
}

/** Nova's InstanceIsLocked: a locked VM refuses actions from anyone but an admin. */
export class InstanceIsLockedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'InstanceIsLocked';
  constructor(readonly vmId: string) {
    super(`Instance ${vmId} is locked`);
  }
}

/** Only an admin lifts an admin's lock (Nova's unlock_override policy). */
export class LockedByAdminError extends DomainError {
  readonly kind = 'forbidden';
  readonly code = 'LockedByAdmin';
  constructor(readonly vmId: string) {
    super(`Instance ${vmId} was locked by an admin; only an admin can unlock it.`);
  }
}
