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

/** A hot resize beyond the headroom the VM booted with (its flavor's maxVcpus / maxRamMb). */
export class HotResizeBeyondHeadroomError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'HotResizeBeyondHeadroom';
  constructor(readonly vmId: string, what: 'vcpus' | 'ram', wanted: number, max: number) {
    super(
      what === 'vcpus'
        ? `Cannot hot resize instance ${vmId} to ${wanted} vCPUs: it was started with room for at most ${max}. A cold resize (the resize action) is needed.`
        : `Cannot hot resize instance ${vmId} to ${wanted} MB of memory: it was started with room for at most ${max} MB. A cold resize (the resize action) is needed.`,
    );
  }
}

/** A hot resize that would take memory or vCPUs away from a running guest. */
export class HotResizeShrinkError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'HotResizeShrink';
  constructor(readonly vmId: string, what: 'vcpus' | 'ram', from: number, to: number) {
    super(
      what === 'ram'
        ? `Cannot hot resize instance ${vmId} from ${from} MB to ${to} MB of memory: memory of a running server can only grow. Shrinking it needs a cold resize (the resize action).`
        : `Cannot remove vCPUs from running instance ${vmId} (${from} to ${to}): this cluster's live update (KubeVirt) cannot take CPU sockets away from a running VM. Use a cold resize (the resize action).`,
    );
  }
}

export class HotResizeNoChangeError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'HotResizeNoChange';
  constructor(readonly vmId: string, vcpus: number, ramMb: number) {
    super(`Instance ${vmId} already has ${vcpus} vCPUs and ${ramMb} MB of memory; there is nothing to resize.`);
  }
}

/** Nova's UnableToMigrateToSelf. */
export class MigrationToSameHostError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'UnableToMigrateToSelf';
  constructor(readonly vmId: string, readonly host: string) {
    super(`Unable to migrate instance (${vmId}) to current host (${host}).`);
  }
}

/** Nova's MigrationPreCheckError: the VM cannot move (host devices, a GPU). */
export class MigrationPreCheckError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'MigrationPreCheckError';
}

/** Nova's InvalidMigrationState: the migration is not one that can be aborted now. */
export class InvalidMigrationStateError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidMigrationState';
  constructor(readonly vmId: string, readonly migrationId: string, state: string) {
    super(`Migration ${migrationId} state of instance ${vmId} is ${state}. Cannot abort the live migration while it is in this state.`);
  }
}

/** Nova's CannotResizeToSameFlavor and ResizeError (disk down). */
export class InvalidResizeError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'InvalidResize';
}
