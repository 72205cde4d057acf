import type { VmInterface } from './interface-attachment.js';
import type { FlavorSnapshot } from '../flavor/flavor-snapshot.js';
import type { HotResizeStrategy, MigrationMemory, ObservedPowerState, StepError } from './virtual-machine.events.js';
import type { LockedBy, RebootType } from './nova-states.js';

/** Commands that start a task carry the task id the handler generated (the domain makes no ids). */
interface TaskCommandData {
  vmId: string;
  taskId: string;
}

export type VirtualMachineCommand =
  | {
      type: 'CreateVM';
      data: TaskCommandData & {
        name: string;
        projectId: string;
        userId: string;
        flavor: FlavorSnapshot;
        imageRef: string;
        /** The disk the VM boots from (a container-registry reference), resolved from imageRef at create. */
        imageSource: string;
        keyName: string | null;
        metadata: Record<string, string>;
        availabilityZone: string | null;
        userDataSha256: string | null;
        /**
         * Ports the VM boots with (Nova's networks at create), checked and, for a network, made by the
         * API: the create task binds them first and confirms them once the VM runs.
         */
        interfaces?: VmInterface[];
      };
    }
  | { type: 'StartVM'; data: TaskCommandData }
  | { type: 'StopVM'; data: TaskCommandData }
  | { type: 'RebootVM'; data: TaskCommandData & { rebootType: RebootType } }
  | { type: 'PauseVM'; data: TaskCommandData }
  | { type: 'UnpauseVM'; data: TaskCommandData }
  | { type: 'DeleteVM'; data: TaskCommandData }
  /** Either or both; what is omitted stays as it is. */
  /** `strategy`: the cluster's configured hot-resize strategy (in-place when absent); a VM that cannot migrate uses in-place regardless. */
  | { type: 'HotResizeVM'; data: TaskCommandData & { vcpus?: number; ramMb?: number; strategy?: HotResizeStrategy } }
  | { type: 'LiveMigrateVM'; data: TaskCommandData & { targetHost: string | null } }
  | { type: 'AbortLiveMigration'; data: { vmId: string; taskId: string } }
  /** How far the running migration got (percent of memory copied), as the cluster reports it. */
  | { type: 'RecordMigrationProgress'; data: { vmId: string; taskId: string; percent: number; memory?: MigrationMemory } }
  | { type: 'ResizeVM'; data: TaskCommandData & { flavor: FlavorSnapshot } }
  | { type: 'ConfirmResize'; data: { vmId: string } }
  | { type: 'RevertResize'; data: TaskCommandData }
  /** The port is created (net_id) or checked (port_id) by the handler; the saga binds and plugs it. */
  | { type: 'AttachInterface'; data: TaskCommandData & { interface: VmInterface } }
  | { type: 'DetachInterface'; data: TaskCommandData & { portId: string } }
  | { type: 'RenameVM'; data: { vmId: string; name: string } }
  /** lockedBy: who locks decides who may unlock (Nova: an admin's lock needs an admin). */
  | { type: 'LockVM'; data: { vmId: string; reason: string | null; lockedBy: LockedBy } }
  | { type: 'UnlockVM'; data: { vmId: string; byAdmin: boolean } }
  | {
      type: 'RecordStepSucceeded';
      data: { vmId: string; taskId: string; stepId: string; startedAt: string; host?: string };
    }
  | {
      type: 'RecordStepFailed';
      data: { vmId: string; taskId: string; stepId: string; startedAt: string; error: StepError };
    }
  /** The task's deadline passed: fail its pending step (or end its compensation) with a timeout. */
  | { type: 'ExpireTask'; data: { vmId: string; taskId: string; deadlineMs: number } }
  | { type: 'RecordObservedPowerState'; data: { vmId: string; observed: ObservedPowerState } };

export type VirtualMachineCommandType = VirtualMachineCommand['type'];
