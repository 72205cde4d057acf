import { cloneObject, type KubeObject } from '../store/kube-object.js';
import { drain, objectsToReconcile, setCondition, types, writeStatus, type ClusterContext } from './cluster-context.js';

const steps = ['Pending', 'ImportScheduled', 'ImportInProgress', 'Succeeded'] as const;

/** CDI: a DataVolume goes Pending → ImportScheduled → ImportInProgress → Succeeded, one phase per tick, with Bound/Running/Ready. */
export class DataVolumeController {
  private readonly queue;

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    drain(this.queue, (taken) => {
      for (const dv of objectsToReconcile(this.context, types.dv, taken)) this.reconcileOne(dv);
    });
  }

  private reconcileOne(dv: KubeObject): void {
    if (dv.metadata.deletionTimestamp) return;
    const phase = dv.status?.phase as (typeof steps)[number] | undefined;
    if (phase === 'Succeeded') return;
    const next = phase === undefined ? 'Pending' : steps[steps.indexOf(phase) + 1] ?? 'Succeeded';
    const status = cloneObject(dv.status ?? {});
    status.phase = next;
    status.progress = next === 'Succeeded' ? '100.0%' : next === 'ImportInProgress' ? '50.0%' : 'N/A';
    status.claimName = dv.metadata.name;
    const bound = next !== 'Pending';
    status.conditions = setCondition(status.conditions, { type: 'Bound', status: bound ? 'True' : 'False', reason: bound ? 'Bound' : 'Pending', message: bound ? `PVC ${dv.metadata.name} Bound` : 'PVC Pending' });
    status.conditions = setCondition(status.conditions, { type: 'Running', status: next === 'ImportInProgress' ? 'True' : 'False', reason: next === 'Succeeded' ? 'Completed' : next === 'ImportInProgress' ? 'Pod is running' : '' });
    status.conditions = setCondition(status.conditions, { type: 'Ready', status: next === 'Succeeded' ? 'True' : 'False' });
    writeStatus(this.context, types.dv, dv, status);
  }
}
