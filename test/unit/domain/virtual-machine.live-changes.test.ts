import type { FlavorSnapshot } from '../../../src/domain/flavor/flavor-snapshot.js';
import { novaStatus } from '../../../src/domain/virtual-machine/nova-status.js';
import { PowerState } from '../../../src/domain/virtual-machine/nova-states.js';
import { planHotResize, planLiveMigration, planResize, planRevertResize } from '../../../src/domain/virtual-machine/task-plans.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import {
  HotResizeBeyondHeadroomError,
  HotResizeNoChangeError,
  HotResizeShrinkError,
  InstanceInvalidStateError,
  InstanceNotFoundError,
  InvalidMigrationStateError,
  InvalidResizeError,
  InvalidServerInputError,
  MigrationPreCheckError,
  MigrationToSameHostError,
} from '../../../src/domain/virtual-machine/virtual-machine.errors.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { currentTaskState, type VirtualMachine } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { NOW, TINY, VM_ID, events } from './vm-fixtures.js';

const spec = deciderSpec(virtualMachineDecider, { now: NOW });
const boom = { code: 'Boom', message: 'the backend said no' };
const SMALL: FlavorSnapshot = { ...TINY, id: '2', name: 'm1.small', vcpus: 2, ramMb: 2048, diskGb: 20, maxVcpus: 8, maxRamMb: 8192 };

const status = (vm: VirtualMachine | null) => vm && novaStatus(vm.vmState, currentTaskState(vm));
const ok = (taskId: string, stepId: string, host?: string) => events.stepSucceeded(taskId, stepId, host);
const failed = (taskId: string, stepId: string, error = boom): VirtualMachineEvent => ({
  type: 'TaskStepFailed',
  data: { vmId: VM_ID, taskId, stepId, startedAt: NOW, finishedAt: NOW, error },
});
const record = (taskId: string, stepId: string, host?: string) => ({
  type: 'RecordStepSucceeded' as const,
  data: { vmId: VM_ID, taskId, stepId, startedAt: NOW, ...(host ? { host } : {}) },
});
const recordFailure = (taskId: string, stepId: string) => ({ type: 'RecordStepFailed' as const, data: { vmId: VM_ID, taskId, stepId, startedAt: NOW, error: boom } });

const hotResizeRequested = (vcpus = 2, ramMb = 1024): VirtualMachineEvent => ({
  type: 'VMHotResizeRequested',
  data: {
    vmId: VM_ID,
    task: planHotResize('task-hot', 'in-place', { vcpus: 1, ramMb: 512 }, { vcpus, ramMb }),
    from: { vcpus: 1, ramMb: 512 },
    to: { vcpus, ramMb },
    strategy: 'in-place',
  },
});
const migrationRequested = (targetHost: string | null = null): VirtualMachineEvent => ({
  type: 'VMLiveMigrationRequested',
  data: { vmId: VM_ID, task: planLiveMigration('task-mig'), sourceHost: 'node-1', targetHost },
});
const resizeRequested = (running = true): VirtualMachineEvent => ({
  type: 'VMResizeRequested',
  data: { vmId: VM_ID, task: planResize('task-resize', running), oldFlavor: TINY, newFlavor: SMALL },
});
const resized = (): VirtualMachineEvent[] => [
  ...events.built(),
  resizeRequested(),
  ok('task-resize', 'power-off-for-resize'),
  ok('task-resize', 'resize-vm-object'),
  ok('task-resize', 'power-on-resized', 'node-2'),
  { type: 'VMResized', data: { vmId: VM_ID, taskId: 'task-resize', flavor: SMALL } },
];

describe('VirtualMachine decider: hot resize', () => {
  it('given a running VM, when hot resized to 2 vCPUs and 1024 MB, then the in-place plan starts (the pod, then the guest with its confirmation and record)', () => {
    spec
      .given(events.built())
      .when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 2, ramMb: 1024 } })
      .then([hotResizeRequested(2, 1024)]);
    expect(planHotResize('t', 'in-place', { vcpus: 1, ramMb: 512 }, { vcpus: 2, ramMb: 1024 }).steps).toEqual(['resize-launcher-pod', 'resize-guest']);
  });

  it('given a running VM, when only memory is given, then the resize keeps the vCPUs as they are', () => {
    spec
      .given(events.built())
      .when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot', ramMb: 2048 } })
      .thenState((vm) => {
        expect(vm?.task?.steps).toEqual(['resize-launcher-pod', 'resize-guest']);
        expect(vm?.hotResize).toEqual({ from: { vcpus: 1, ramMb: 512 }, to: { vcpus: 1, ramMb: 2048 }, strategy: 'in-place' });
      });
  });

  it('given a hot resize starts, then Nova shows RESIZE with task_state resize_prep', () => {
    spec
      .given(events.built())
      .when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 3 } })
      .thenState((vm) => {
        expect(vm && currentTaskState(vm)).toBe('resize_prep');
        expect(status(vm)).toBe('RESIZE');
      });
  });

  it('given every step succeeded but the last, when it succeeds, then VMHotResized records the new size and the VM is ACTIVE with it', () => {
    const steps = planHotResize('task-hot', 'in-place', { vcpus: 1, ramMb: 512 }, { vcpus: 2, ramMb: 1024 }).steps;
    spec
      .given([...events.built(), hotResizeRequested(), ...steps.slice(0, -1).map((s) => ok('task-hot', s))])
      .when(record('task-hot', 'resize-guest'))
      .thenState((vm) => {
        expect(vm?.vmState).toBe('active');
        expect(vm?.task).toBeNull();
        expect(vm?.hotResize).toBeNull();
        expect({ vcpus: vm?.flavor.vcpus, ramMb: vm?.flavor.ramMb, maxVcpus: vm?.flavor.maxVcpus }).toEqual({ vcpus: 2, ramMb: 1024, maxVcpus: 4 });
      });
    spec
      .given([...events.built(), hotResizeRequested(), ...steps.slice(0, -1).map((s) => ok('task-hot', s))])
      .when(record('task-hot', 'resize-guest'))
      .then([ok('task-hot', 'resize-guest'), { type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 2, ramMb: 1024 } }]);
  });

  it('given the guest resize fails, then the VM object\'s size, the guest memory, the guest vCPUs and the pod are undone, newest first', () => {
    spec
      .given([...events.built(), hotResizeRequested(), ok('task-hot', 'resize-launcher-pod')])
      .when(recordFailure('task-hot', 'resize-guest'))
      .then([
        failed('task-hot', 'resize-guest'),
        {
          type: 'TaskCompensationStarted',
          data: {
            vmId: VM_ID,
            taskId: 'task-hot',
            failedStepId: 'resize-guest',
            error: boom,
            undoSteps: ['restore-vm-size', 'restore-guest-memory', 'restore-guest-vcpus', 'shrink-launcher-pod'],
          },
        },
      ]);
  });

  it('given a hot resize started before resize-guest (its plan names the old steps), when its memory hot-add fails, then those steps are undone as before', () => {
    const old: VirtualMachineEvent = {
      type: 'VMHotResizeRequested',
      data: {
        vmId: VM_ID,
        task: { taskId: 'task-hot', action: 'hotResize', steps: ['resize-launcher-pod', 'await-pod-resize', 'hot-add-vcpus', 'hot-add-memory', 'confirm-guest-size', 'record-vm-size'], taskStates: ['resize_prep', 'resize_prep', 'resize_finish', 'resize_finish', 'resize_finish', 'resize_finish'] },
        from: { vcpus: 1, ramMb: 512 },
        to: { vcpus: 2, ramMb: 1024 },
        strategy: 'in-place',
      },
    };
    spec
      .given([...events.built(), old, ok('task-hot', 'resize-launcher-pod'), ok('task-hot', 'await-pod-resize'), ok('task-hot', 'hot-add-vcpus')])
      .when(recordFailure('task-hot', 'hot-add-memory'))
      .then([
        failed('task-hot', 'hot-add-memory'),
        {
          type: 'TaskCompensationStarted',
          data: { vmId: VM_ID, taskId: 'task-hot', failedStepId: 'hot-add-memory', error: boom, undoSteps: ['restore-guest-memory', 'restore-guest-vcpus', 'shrink-launcher-pod'] },
        },
      ]);
  });

  it('given the pod resize failed and the pod was shrunk back, then the VM stays ACTIVE at its old size and the task failed with why', () => {
    const history: VirtualMachineEvent[] = [
      ...events.built(),
      hotResizeRequested(),
      failed('task-hot', 'resize-launcher-pod', { code: 'Infeasible', message: 'Node didn\'t have enough capacity' }),
      {
        type: 'TaskCompensationStarted',
        data: { vmId: VM_ID, taskId: 'task-hot', failedStepId: 'resize-launcher-pod', error: { code: 'Infeasible', message: 'Node didn\'t have enough capacity' }, undoSteps: ['shrink-launcher-pod'] },
      },
    ];
    spec
      .given(history)
      .when(record('task-hot', 'shrink-launcher-pod'))
      .thenState((vm) => {
        expect(vm?.vmState).toBe('active');
        expect(vm?.powerState).toBe(PowerState.RUNNING);
        expect({ vcpus: vm?.flavor.vcpus, ramMb: vm?.flavor.ramMb }).toEqual({ vcpus: 1, ramMb: 512 });
        expect(vm?.hotResize).toBeNull();
        expect(vm?.fault).toBeNull();
      });
    spec
      .given(history)
      .when(record('task-hot', 'shrink-launcher-pod'))
      .then([
        ok('task-hot', 'shrink-launcher-pod'),
        {
          type: 'TaskFailed',
          data: { vmId: VM_ID, taskId: 'task-hot', action: 'hotResize', stepId: 'resize-launcher-pod', error: { code: 'Infeasible', message: 'Node didn\'t have enough capacity' }, failedAt: NOW },
        },
      ]);
  });

  describe('vCPU removal in place', () => {
    const grown = (): VirtualMachineEvent[] => [
      ...events.built(),
      hotResizeRequested(3, 512),
      { type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 3, ramMb: 512 } },
    ];
    const shrinkRequested = (to = { vcpus: 1, ramMb: 512 }): VirtualMachineEvent => ({
      type: 'VMHotResizeRequested',
      data: { vmId: VM_ID, task: planHotResize('task-down', 'in-place', { vcpus: 3, ramMb: 512 }, to), from: { vcpus: 3, ramMb: 512 }, to, strategy: 'in-place' },
    });

    it('given 3 vCPUs, when asked for 1, then libvirt unplugs, the guest confirms, the size is recorded, and only then the pod shrinks', () => {
      spec
        .given(grown())
        .when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-down', vcpus: 1 } })
        .then([shrinkRequested()]);
      expect(planHotResize('t', 'in-place', { vcpus: 3, ramMb: 512 }, { vcpus: 1, ramMb: 512 }).steps).toEqual(['resize-guest', 'trim-launcher-pod']);
    });

    it('given fewer vCPUs and more memory at once, then the pod grows for the memory (keeping the vCPUs) before the unplug, and trims after', () => {
      expect(planHotResize('t', 'in-place', { vcpus: 3, ramMb: 512 }, { vcpus: 2, ramMb: 1024 }).steps).toEqual(['resize-launcher-pod', 'resize-guest', 'trim-launcher-pod']);
    });

    it('given the unplug fails (libvirt timed out), then the vCPUs are put back, and the VM stays ACTIVE with 3', () => {
      const history = [...grown(), shrinkRequested()];
      spec
        .given(history)
        .when({ type: 'RecordStepFailed', data: { vmId: VM_ID, taskId: 'task-down', stepId: 'resize-guest', startedAt: NOW, error: boom } })
        .then([
          failed('task-down', 'resize-guest'),
          { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-down', failedStepId: 'resize-guest', error: boom, undoSteps: ['restore-vm-size', 'restore-guest-memory', 'restore-guest-vcpus'] } },
        ]);
      const putBack = [
        ...history,
        failed('task-down', 'resize-guest'),
        { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-down', failedStepId: 'resize-guest', error: boom, undoSteps: ['restore-vm-size', 'restore-guest-memory', 'restore-guest-vcpus'] } } as VirtualMachineEvent,
        ok('task-down', 'restore-vm-size'),
        ok('task-down', 'restore-guest-memory'),
      ];
      spec
        .given(putBack)
        .when(record('task-down', 'restore-guest-vcpus'))
        .thenState((vm) => expect({ state: vm?.vmState, vcpus: vm?.flavor.vcpus, fault: vm?.fault }).toEqual({ state: 'active', vcpus: 3, fault: null }));
    });

    it('given the vCPUs could not be put back either, then the VM is in ERROR with the counts the undo read back as its fault', () => {
      const differ = { code: 'GuestVcpusDiffer', message: 'the guest reports 1 online, libvirt counts 3' };
      const history: VirtualMachineEvent[] = [
        ...grown(),
        shrinkRequested(),
        failed('task-down', 'resize-guest'),
        { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-down', failedStepId: 'resize-guest', error: boom, undoSteps: ['restore-vm-size', 'restore-guest-memory', 'restore-guest-vcpus'] } },
        ok('task-down', 'restore-vm-size'),
        ok('task-down', 'restore-guest-memory'),
      ];
      spec
        .given(history)
        .when({ type: 'RecordStepFailed', data: { vmId: VM_ID, taskId: 'task-down', stepId: 'restore-guest-vcpus', startedAt: NOW, error: differ } })
        .thenState((vm) => expect({ state: vm?.vmState, fault: vm?.fault }).toEqual({ state: 'error', fault: boom }));
    });
  });

  describe('strategy: the cluster\'s, in place for a VM that cannot migrate', () => {
    const liveUpdate = (history = events.built()) =>
      spec.given(history).when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 2, ramMb: 1024, strategy: 'live-update' } });

    it('given a live-update cluster, then the template is updated and KubeVirt\'s live update followed, with no pod or record steps', () => {
      liveUpdate().thenState((vm) => {
        expect(vm?.task?.steps).toEqual(['update-vm-template', 'follow-live-update', 'confirm-guest-size']);
        expect(vm?.hotResize?.strategy).toBe('live-update');
      });
    });

    it('given a live-update cluster and a VM with a GPU, then it goes in place (KubeVirt would have to migrate it)', () => {
      const withGpu: VirtualMachineEvent[] = events.built().map((e) =>
        e.type === 'VMCreated' ? { ...e, data: { ...e.data, flavor: { ...TINY, extraSpecs: { 'resources:VGPU': '1' } } } } : e,
      );
      liveUpdate(withGpu).thenState((vm) => {
        expect(vm?.hotResize?.strategy).toBe('in-place');
        expect(vm?.task?.steps[0]).toBe('resize-launcher-pod');
      });
    });

    it('given KubeVirt\'s live update failed while followed, then the template is put back', () => {
      const requested: VirtualMachineEvent = {
        type: 'VMHotResizeRequested',
        data: { vmId: VM_ID, task: planHotResize('task-hot', 'live-update', { vcpus: 1, ramMb: 512 }, { vcpus: 2, ramMb: 1024 }), from: { vcpus: 1, ramMb: 512 }, to: { vcpus: 2, ramMb: 1024 }, strategy: 'live-update' },
      };
      spec
        .given([...events.built(), requested, ok('task-hot', 'update-vm-template')])
        .when(recordFailure('task-hot', 'follow-live-update'))
        .then([
          failed('task-hot', 'follow-live-update'),
          { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-hot', failedStepId: 'follow-live-update', error: boom, undoSteps: ['restore-vm-template'] } },
        ]);
    });

    it('given a hot resize recorded before strategies existed, when replayed, then it is in place', () => {
      const old: VirtualMachineEvent = {
        type: 'VMHotResizeRequested',
        data: { vmId: VM_ID, task: planHotResize('task-hot', 'in-place', { vcpus: 1, ramMb: 512 }, { vcpus: 2, ramMb: 512 }), from: { vcpus: 1, ramMb: 512 }, to: { vcpus: 2, ramMb: 512 } },
      };
      const vm = [...events.built(), old].reduce(virtualMachineDecider.evolve, null);
      expect(vm?.hotResize?.strategy).toBe('in-place');
    });
  });

  describe('refusals', () => {
    const when = (data: { vcpus?: number; ramMb?: number }, history = events.built()) =>
      spec.given(history).when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot', ...data } });

    it('given a stopped VM, then 409 InstanceInvalidState (vm_state stopped)', () => {
      when({ vcpus: 2 }, events.stopped()).thenThrows(InstanceInvalidStateError, `Cannot 'hot_resize' instance ${VM_ID} while it is in vm_state stopped`);
    });
    it('given a VM with a task running, then 409 InstanceInvalidState (task_state)', () => {
      when({ vcpus: 2 }, events.stopRequested()).thenThrows(InstanceInvalidStateError, /task_state powering-off/);
    });
    it('given a VM with room for 4 vCPUs, when asked for 5, then refused naming the headroom and the cold resize', () => {
      when({ vcpus: 5 }).thenThrows(HotResizeBeyondHeadroomError, /room for at most 4.*cold resize/);
    });
    it('given a VM with room for 2048 MB, when asked for 4096 MB, then refused naming the headroom', () => {
      when({ ramMb: 4096 }).thenThrows(HotResizeBeyondHeadroomError, /at most 2048 MB/);
    });
    it('given 1024 MB after a hot resize, when asked for 512 MB, then refused: memory only grows, a cold resize is needed', () => {
      const grown = [...events.built(), hotResizeRequested(1, 1024), ...planHotResize('task-hot', 'in-place', { vcpus: 1, ramMb: 512 }, { vcpus: 1, ramMb: 1024 }).steps.map((s) => ok('task-hot', s)),
        { type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 1, ramMb: 1024 } } as VirtualMachineEvent];
      when({ ramMb: 512 }, grown).thenThrows(HotResizeShrinkError, /can only grow.*cold resize/);
    });
    it('given 2 vCPUs on a live-update cluster, when asked for 1, then refused: KubeVirt cannot take sockets away, a cold resize is needed', () => {
      const grown = [...events.built(), hotResizeRequested(2, 512), { type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 2, ramMb: 512 } } as VirtualMachineEvent];
      spec
        .given(grown)
        .when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot-2', vcpus: 1, strategy: 'live-update' } })
        .thenThrows(HotResizeShrinkError, /cannot take CPU sockets away.*cold resize/);
    });
    it('given a live-update cluster, when memory is asked to shrink, then refused saying a cold resize is needed', () => {
      const grown = [...events.built(), hotResizeRequested(1, 1024), { type: 'VMHotResized', data: { vmId: VM_ID, taskId: 'task-hot', vcpus: 1, ramMb: 1024 } } as VirtualMachineEvent];
      spec
        .given(grown)
        .when({ type: 'HotResizeVM', data: { vmId: VM_ID, taskId: 'task-hot-2', ramMb: 512, strategy: 'live-update' } })
        .thenThrows(HotResizeShrinkError, /can only grow.*cold resize/);
    });
    it('given the size asked is the size it has, then 400 nothing to resize', () => {
      when({ vcpus: 1, ramMb: 512 }).thenThrows(HotResizeNoChangeError, /nothing to resize/);
    });
    it.each([[{}], [{ vcpus: 0 }], [{ vcpus: 1.5 }], [{ ramMb: -1 }]])('given %j, then invalid input', (data) => {
      when(data).thenThrows(InvalidServerInputError);
    });
    it('given a deleted VM, then not found', () => {
      when({ vcpus: 2 }, events.deleted()).thenThrows(InstanceNotFoundError);
    });
  });
});

describe('VirtualMachine decider: live migration', () => {
  it('given a running VM on node-1, when live-migrated, then the migration task starts and Nova shows MIGRATING', () => {
    spec.given(events.built()).when({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost: null } }).then([migrationRequested()]);
    spec
      .given(events.built())
      .when({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost: 'node-2' } })
      .thenState((vm) => {
        expect(status(vm)).toBe('MIGRATING');
        expect(vm && currentTaskState(vm)).toBe('migrating');
        expect(vm?.migration).toEqual({ taskId: 'task-mig', sourceHost: 'node-1', targetHost: 'node-2', abortRequested: false, progressPercent: null });
      });
  });

  it('given the migration switched over to node-2, when followed to the end, then the VM is ACTIVE on node-2', () => {
    spec
      .given([...events.built(), migrationRequested(), ok('task-mig', 'start-migration')])
      .when(record('task-mig', 'follow-migration', 'node-2'))
      .then([
        ok('task-mig', 'follow-migration', 'node-2'),
        { type: 'VMLiveMigrated', data: { vmId: VM_ID, taskId: 'task-mig', sourceHost: 'node-1', host: 'node-2' } },
      ]);
  });

  it('given a migration being followed, when aborted, then it is cancelled by undoing it (abort-migration)', () => {
    spec
      .given([...events.built(), migrationRequested(), ok('task-mig', 'start-migration')])
      .when({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-mig' } })
      .then([
        { type: 'VMLiveMigrationAbortRequested', data: { vmId: VM_ID, taskId: 'task-mig' } },
        {
          type: 'TaskCompensationStarted',
          data: {
            vmId: VM_ID,
            taskId: 'task-mig',
            failedStepId: 'follow-migration',
            error: { code: 'MigrationCancelled', message: `The live migration of instance ${VM_ID} was cancelled on request.` },
            undoSteps: ['abort-migration'],
          },
        },
      ]);
  });

  it('given a migration running, when progress is reported, then it is recorded only when it moved forward', () => {
    const running = [...events.built(), migrationRequested(), ok('task-mig', 'start-migration')];
    const progress = (percent: number) => ({ type: 'RecordMigrationProgress' as const, data: { vmId: VM_ID, taskId: 'task-mig', percent } });
    spec.given(running).when(progress(40)).then([{ type: 'VMLiveMigrationProgressed', data: { vmId: VM_ID, taskId: 'task-mig', percent: 40 } }]);
    const at40 = [...running, { type: 'VMLiveMigrationProgressed', data: { vmId: VM_ID, taskId: 'task-mig', percent: 40 } } as VirtualMachineEvent];
    spec.given(at40).when(progress(40)).thenNothing();
    spec.given(at40).when(progress(20)).thenNothing();
    spec.given(at40).when(progress(80)).thenState((vm) => expect(vm?.migration?.progressPercent).toBe(80));
    spec.given(events.built()).when(progress(50)).thenNothing();
  });

  it('given a migration running, when progress comes with the hypervisor\'s memory figures, then they are recorded with it, and figures that are not byte counts are left out', () => {
    const running = [...events.built(), migrationRequested(), ok('task-mig', 'start-migration')];
    const memory = { totalBytes: 2 ** 30, processedBytes: 3 * 2 ** 28, remainingBytes: 2 ** 28 };
    const report = (m: typeof memory) => ({ type: 'RecordMigrationProgress' as const, data: { vmId: VM_ID, taskId: 'task-mig', percent: 75, memory: m } });
    spec.given(running).when(report(memory)).then([{ type: 'VMLiveMigrationProgressed', data: { vmId: VM_ID, taskId: 'task-mig', percent: 75, memory } }]);
    spec.given(running).when(report({ ...memory, remainingBytes: -1 })).then([{ type: 'VMLiveMigrationProgressed', data: { vmId: VM_ID, taskId: 'task-mig', percent: 75 } }]);
  });

  const aborting = (): VirtualMachineEvent[] => [
    ...events.built(),
    migrationRequested(),
    ok('task-mig', 'start-migration'),
    { type: 'VMLiveMigrationAbortRequested', data: { vmId: VM_ID, taskId: 'task-mig' } },
    { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-mig', failedStepId: 'follow-migration', error: boom, undoSteps: ['abort-migration'] } },
  ];

  it('given an abort running, when progress is reported, then it is dropped', () => {
    spec.given(aborting()).when({ type: 'RecordMigrationProgress', data: { vmId: VM_ID, taskId: 'task-mig', percent: 90 } }).thenNothing();
  });

  it('given an abort running, when aborted again, then nothing more', () => {
    spec.given(aborting()).when({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-mig' } }).thenNothing();
  });

  it('given an abort running, when the late result of the follow step arrives, then it is ignored', () => {
    spec.given(aborting()).when(record('task-mig', 'follow-migration', 'node-2')).thenNothing();
  });

  it('given the abort finished, then the VM is ACTIVE on its source and the task failed', () => {
    spec
      .given(aborting())
      .when(record('task-mig', 'abort-migration', 'node-1'))
      .thenState((vm) => {
        expect(vm?.vmState).toBe('active');
        expect(vm?.host).toBe('node-1');
        expect(vm?.migration).toBeNull();
        expect(vm?.task).toBeNull();
      });
  });

  it('given the migration failed mid-way, then the migration is deleted and the VM stays ACTIVE on the source', () => {
    spec
      .given([...events.built(), migrationRequested(), ok('task-mig', 'start-migration')])
      .when(recordFailure('task-mig', 'follow-migration'))
      .then([
        failed('task-mig', 'follow-migration'),
        { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-mig', failedStepId: 'follow-migration', error: boom, undoSteps: ['abort-migration'] } },
      ]);
  });

  describe('refusals', () => {
    it('given the target is where it runs, then UnableToMigrateToSelf', () => {
      spec
        .given(events.built())
        .when({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost: 'node-1' } })
        .thenThrows(MigrationToSameHostError, `Unable to migrate instance (${VM_ID}) to current host (node-1).`);
    });
    it('given a stopped VM, then 409', () => {
      spec.given(events.stopped()).when({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost: null } }).thenThrows(InstanceInvalidStateError, /vm_state stopped/);
    });
    it('given a VM with a task, then 409', () => {
      spec.given(events.stopRequested()).when({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost: null } }).thenThrows(InstanceInvalidStateError, /task_state/);
    });
    it('given a flavor with PCI passthrough, then the pre-check refuses it', () => {
      const withGpu: VirtualMachineEvent[] = events.built().map((e) =>
        e.type === 'VMCreated' ? { ...e, data: { ...e.data, flavor: { ...TINY, extraSpecs: { 'pci_passthrough:alias': 'a100:1' } } } } : e,
      );
      spec.given(withGpu).when({ type: 'LiveMigrateVM', data: { vmId: VM_ID, taskId: 'task-mig', targetHost: null } }).thenThrows(MigrationPreCheckError, /host devices/);
    });
    it('given no migration runs, when aborted, then InvalidMigrationState', () => {
      spec.given(events.built()).when({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-mig' } }).thenThrows(InvalidMigrationStateError);
    });
    it('given the migration completed, when aborted, then InvalidMigrationState naming it completed', () => {
      const done: VirtualMachineEvent[] = [
        ...events.built(),
        migrationRequested(),
        ok('task-mig', 'start-migration'),
        ok('task-mig', 'follow-migration', 'node-2'),
        { type: 'VMLiveMigrated', data: { vmId: VM_ID, taskId: 'task-mig', sourceHost: 'node-1', host: 'node-2' } },
      ];
      spec.given(done).when({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-mig' } }).thenThrows(InvalidMigrationStateError, /is completed/);
    });
    it('given another task (a stop) runs, when asked to abort it as a migration, then InvalidMigrationState', () => {
      spec.given(events.stopRequested()).when({ type: 'AbortLiveMigration', data: { vmId: VM_ID, taskId: 'task-stop' } }).thenThrows(InvalidMigrationStateError);
    });
  });
});

describe('VirtualMachine decider: cold resize', () => {
  it('given a running VM, when resized to m1.small, then it is stopped, resized and started (RESIZE, resize_prep first)', () => {
    spec.given(events.built()).when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 'task-resize', flavor: SMALL } }).then([resizeRequested()]);
    spec
      .given(events.built())
      .when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 'task-resize', flavor: SMALL } })
      .thenState((vm) => {
        expect(vm?.task?.steps).toEqual(['power-off-for-resize', 'resize-vm-object', 'power-on-resized']);
        expect(vm && currentTaskState(vm)).toBe('resize_prep');
        expect(status(vm)).toBe('RESIZE');
      });
  });

  it('given the resize ran, then VERIFY_RESIZE with the new flavor', () => {
    spec
      .given(resized().slice(0, -2))
      .when(record('task-resize', 'power-on-resized', 'node-2'))
      .thenState((vm) => {
        expect(vm?.vmState).toBe('resized');
        expect(status(vm)).toBe('VERIFY_RESIZE');
        expect(vm?.flavor).toEqual(SMALL);
        expect(vm?.powerState).toBe(PowerState.RUNNING);
      });
  });

  it('given VERIFY_RESIZE, when confirmed, then ACTIVE with the new flavor and nothing left to revert', () => {
    spec.given(resized()).when({ type: 'ConfirmResize', data: { vmId: VM_ID } }).then([{ type: 'VMResizeConfirmed', data: { vmId: VM_ID, flavorId: '2' } }]);
    spec
      .given(resized())
      .when({ type: 'ConfirmResize', data: { vmId: VM_ID } })
      .thenState((vm) => {
        expect(vm?.vmState).toBe('active');
        expect(vm?.resize).toBeNull();
      });
  });

  it('given VERIFY_RESIZE, when reverted, then REVERT_RESIZE, and once done ACTIVE with the old flavor', () => {
    spec
      .given(resized())
      .when({ type: 'RevertResize', data: { vmId: VM_ID, taskId: 'task-revert' } })
      .then([{ type: 'VMResizeRevertRequested', data: { vmId: VM_ID, task: planRevertResize('task-revert', true) } }]);
    const reverting = [...resized(), { type: 'VMResizeRevertRequested', data: { vmId: VM_ID, task: planRevertResize('task-revert', true) } } as VirtualMachineEvent];
    spec
      .given([...reverting, ok('task-revert', 'power-off-for-resize'), ok('task-revert', 'restore-vm-size')])
      .when(record('task-revert', 'power-on-resized'))
      .thenState((vm) => {
        expect(vm?.vmState).toBe('active');
        expect(vm?.flavor).toEqual(TINY);
        expect(vm?.resize).toBeNull();
      });
    spec
      .given(reverting)
      .when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'running' } })
      .thenNothing();
    const state = reverting.reduce(virtualMachineDecider.evolve, null);
    expect(status(state)).toBe('REVERT_RESIZE');
  });

  it('given VERIFY_RESIZE, when the power-state sync sees the guest running, then nothing changes; when it sees it stopped, only the power state does', () => {
    spec.given(resized()).when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'running' } }).thenNothing();
    spec
      .given(resized())
      .when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'stopped' } })
      .thenState((vm) => {
        expect(vm?.vmState).toBe('resized');
        expect(vm?.powerState).toBe(PowerState.SHUTDOWN);
      });
  });

  it('given a stopped VM, when resized, then only the VM object changes, and confirming leaves it stopped', () => {
    spec
      .given(events.stopped())
      .when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 'task-resize', flavor: SMALL } })
      .then([resizeRequested(false)]);
    const done = [
      ...events.stopped(),
      resizeRequested(false),
      ok('task-resize', 'resize-vm-object'),
      { type: 'VMResized', data: { vmId: VM_ID, taskId: 'task-resize', flavor: SMALL } } as VirtualMachineEvent,
    ];
    spec.given(done).when({ type: 'ConfirmResize', data: { vmId: VM_ID } }).thenState((vm) => {
      expect(vm?.vmState).toBe('stopped');
      expect(vm?.flavor).toEqual(SMALL);
    });
  });

  it('given the resized VM does not start, then the old size is restored and the VM started again, newest first', () => {
    spec
      .given([...events.built(), resizeRequested(), ok('task-resize', 'power-off-for-resize'), ok('task-resize', 'resize-vm-object')])
      .when(recordFailure('task-resize', 'power-on-resized'))
      .then([
        failed('task-resize', 'power-on-resized'),
        {
          type: 'TaskCompensationStarted',
          data: { vmId: VM_ID, taskId: 'task-resize', failedStepId: 'power-on-resized', error: boom, undoSteps: ['restore-vm-size', 'power-on-after-resize'] },
        },
      ]);
  });

  it('given a failed resize was compensated, then ACTIVE with the old flavor and no resize pending', () => {
    const history: VirtualMachineEvent[] = [
      ...events.built(),
      resizeRequested(),
      failed('task-resize', 'power-off-for-resize'),
      { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-resize', failedStepId: 'power-off-for-resize', error: boom, undoSteps: ['power-on-after-resize'] } },
    ];
    spec.given(history).when(record('task-resize', 'power-on-after-resize')).thenState((vm) => {
      expect(vm?.vmState).toBe('active');
      expect(vm?.flavor).toEqual(TINY);
      expect(vm?.resize).toBeNull();
    });
  });

  describe('refusals', () => {
    it('given the same flavor, then CannotResizeToSameFlavor', () => {
      spec.given(events.built()).when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 't', flavor: TINY } }).thenThrows(InvalidResizeError, 'When resizing, instances must change flavor!');
    });
    it('given a smaller disk, then Unable to resize disk down', () => {
      const bigDisk: VirtualMachineEvent[] = events.built().map((e) => (e.type === 'VMCreated' ? { ...e, data: { ...e.data, flavor: { ...TINY, diskGb: 40 } } } : e));
      spec.given(bigDisk).when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 't', flavor: SMALL } }).thenThrows(InvalidResizeError, /resize disk down/);
    });
    it('given a paused VM, then 409', () => {
      spec.given(events.paused()).when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 't', flavor: SMALL } }).thenThrows(InstanceInvalidStateError, /vm_state paused/);
    });
    it('given a VM with a task, then 409', () => {
      spec.given(events.stopRequested()).when({ type: 'ResizeVM', data: { vmId: VM_ID, taskId: 't', flavor: SMALL } }).thenThrows(InstanceInvalidStateError, /task_state/);
    });
    it('given a VM not resized, when confirmed or reverted, then 409 (vm_state active)', () => {
      spec.given(events.built()).when({ type: 'ConfirmResize', data: { vmId: VM_ID } }).thenThrows(InstanceInvalidStateError, /'confirm_resize'.*vm_state active/);
      spec.given(events.built()).when({ type: 'RevertResize', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceInvalidStateError, /'revert_resize'.*vm_state active/);
    });
    it('given a revert running, when confirmed, then 409 (task_state resize_reverting)', () => {
      const reverting = [...resized(), { type: 'VMResizeRevertRequested', data: { vmId: VM_ID, task: planRevertResize('task-revert', true) } } as VirtualMachineEvent];
      spec.given(reverting).when({ type: 'ConfirmResize', data: { vmId: VM_ID } }).thenThrows(InstanceInvalidStateError, /task_state resize_reverting/);
    });
  });
});

describe('Nova status for the resize and migration states', () => {
  it.each([
    ['active', 'resize_prep', 'RESIZE'],
    ['active', 'resize_finish', 'RESIZE'],
    ['stopped', 'resize_migrating', 'RESIZE'],
    ['active', 'migrating', 'MIGRATING'],
    ['resized', null, 'VERIFY_RESIZE'],
    ['resized', 'resize_reverting', 'REVERT_RESIZE'],
  ] as const)('vm_state %s with task_state %s is %s', (vmState, taskState, expected) => {
    expect(novaStatus(vmState, taskState)).toBe(expected);
  });
});
