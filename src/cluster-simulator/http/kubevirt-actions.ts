import { ApiError, badRequest, notFound, pathNotFound } from '../api-errors.js';
import { conditionOf, types, writeStatus, type ClusterContext } from '../controllers/cluster-context.js';
import { runStrategyOf } from '../controllers/vm-controller.js';
import { cloneObject, type KubeObject } from '../store/kube-object.js';
import { sendEmpty, type ApiRequest } from './http-types.js';

const conflict = (message: string) => new ApiError(409, 'Conflict', message);
const finalPhases = ['Succeeded', 'Failed'];

function body(request: ApiRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  try {
    const parsed = JSON.parse(request.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw badRequest('Can not unmarshal Request body to struct');
}

/**
 * virt-api's subresources under subresources.kubevirt.io/v1 (PUT): start, stop, restart, migrate on
 * VMs answer 202 with an empty body; pause and unpause on VMIs answer 200; wrong states are 409 with
 * virt-api's messages (pkg/virt-api/rest/lifecycle.go).
 */
export class KubeVirtActions {
  constructor(private readonly context: ClusterContext) {}

  handle(request: ApiRequest, path: { namespace: string; plural: string; name: string; action: string }): void {
    if (request.method !== 'PUT') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const options = body(request);
    const dryRun = Array.isArray(options.dryRun) && options.dryRun.includes('All');
    if (path.plural === 'virtualmachines' && ['start', 'stop', 'restart', 'migrate'].includes(path.action)) {
      const vm = this.context.service.find(types.vm, path.namespace, path.name);
      if (!vm) throw notFound(types.vm, path.name);
      const vmi = this.context.service.find(types.vmi, path.namespace, path.name);
      const running = vmi !== undefined && !finalPhases.includes(vmi.status?.phase);
      if (!dryRun) this[path.action as 'start' | 'stop' | 'restart' | 'migrate'](vm, vmi, running, options);
      else this.check(path.action, vm, vmi, running);
      return sendEmpty(request.response, 202);
    }
    if (path.plural === 'virtualmachineinstances' && ['pause', 'unpause'].includes(path.action)) {
      const vmi = this.context.service.find(types.vmi, path.namespace, path.name);
      if (!vmi) throw notFound(types.vmi, path.name);
      this.pauseOrUnpause(vmi, path.action === 'pause', dryRun);
      return sendEmpty(request.response, 200);
    }
    throw pathNotFound();
  }

  private check(action: string, vm: KubeObject, vmi: KubeObject | undefined, running: boolean): void {
    const strategy = runStrategyOf(vm);
    if (action === 'start' && (running || strategy === 'Always' || strategy === 'Once')) throw conflict(running ? 'VM is already running' : `${strategy} does not support manual start requests`);
    if ((action === 'stop' || action === 'restart' || action === 'migrate') && !running) throw conflict('VM is not running');
    void vmi;
  }

  private start(vm: KubeObject, _vmi: KubeObject | undefined, running: boolean, options: Record<string, unknown>): void {
    if (running) throw conflict('VM is already running');
    const strategy = runStrategyOf(vm);
    const paused = options.paused === true;
    const startRequest = { action: 'Start', ...(paused ? { data: { paused: 'true' } } : {}) };
    switch (strategy) {
      case 'Always':
      case 'Once':
        throw conflict(`${strategy} does not support manual start requests`);
      case 'Halted': {
        const spec = cloneObject(vm.spec);
        if (spec.running !== undefined) spec.running = true;
        else spec.runStrategy = 'Always';
        const updated = this.context.service.replace(types.vm, vm.metadata.namespace, vm.metadata.name, { ...vm, spec });
        if (paused) this.appendRequests(updated, [startRequest]);
        return;
      }
      default:
        this.appendRequests(vm, [startRequest]);
    }
  }

  private stop(vm: KubeObject, vmi: KubeObject | undefined, running: boolean, options: Record<string, unknown>): void {
    const strategy = runStrategyOf(vm);
    if (!running || !vmi) throw conflict('VM is not running');
    if (strategy === 'Halted') {
      const grace = typeof options.gracePeriod === 'number' ? options.gracePeriod : undefined;
      const current = vmi.spec.terminationGracePeriodSeconds ?? 30;
      if (grace === undefined || grace >= current) throw conflict('VM is already stopping');
      this.context.service.delete(types.vmi, vmi.metadata.namespace, vmi.metadata.name, { gracePeriodSeconds: grace });
      return;
    }
    if (strategy === 'Always' || strategy === 'Once') {
      const spec = cloneObject(vm.spec);
      if (spec.running !== undefined) spec.running = false;
      else spec.runStrategy = 'Halted';
      this.context.service.replace(types.vm, vm.metadata.namespace, vm.metadata.name, { ...vm, spec });
      return;
    }
    this.appendRequests(vm, [{ action: 'Stop', uid: vmi.metadata.uid }]);
  }

  private restart(vm: KubeObject, vmi: KubeObject | undefined, running: boolean, options: Record<string, unknown>): void {
    const strategy = runStrategyOf(vm);
    if (strategy === 'Halted' || strategy === 'Once') throw conflict(`RunStategy ${strategy} does not support manual restart requests`);
    if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds !== 0) throw badRequest('For force restart, only gracePeriod=0 is supported for now');
    if (!running || !vmi) throw conflict('VM is not running');
    this.appendRequests(vm, [{ action: 'Stop', uid: vmi.metadata.uid }, { action: 'Start' }]);
  }

  private migrate(vm: KubeObject, vmi: KubeObject | undefined, running: boolean, options: Record<string, unknown>): void {
    if (!running || !vmi || vmi.status?.phase !== 'Running') throw conflict('VM is not running');
    this.context.service.create(types.vmim, vm.metadata.namespace, {
      apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration',
      metadata: { generateName: 'kubevirt-migrate-vm-' },
      spec: { vmiName: vm.metadata.name, ...(options.addedNodeSelector ? { addedNodeSelector: options.addedNodeSelector } : {}) },
    });
  }

  private pauseOrUnpause(vmi: KubeObject, pause: boolean, dryRun: boolean): void {
    const paused = conditionOf(vmi, 'Paused')?.status === 'True';
    const domain = this.context.domains.get(vmi.metadata.namespace!, vmi.metadata.name);
    if (pause) {
      if (vmi.status?.phase !== 'Running' || !domain) throw conflict('VMI is not running');
      if (paused || domain.state === 'paused') throw conflict('VMI is already paused');
      const probe = vmi.spec.livenessProbe;
      if (probe && !probe.guestAgentPing) throw new ApiError(403, 'Forbidden', 'Pausing VMIs with LivenessProbe is currently not supported');
      if (!dryRun) domain.state = 'paused';
    } else {
      if (vmi.status?.phase !== 'Running' || !domain) throw conflict('VMI is not running');
      if (!paused && domain.state !== 'paused') throw conflict('VMI is not paused');
      if (!dryRun) domain.state = 'running';
    }
  }

  private appendRequests(vm: KubeObject, requests: Array<Record<string, unknown>>): void {
    const existing = (vm.status?.stateChangeRequests ?? []) as unknown[];
    if (existing.length > 0) throw conflict('unable to complete request: stop/start already underway');
    writeStatus(this.context, types.vm, vm, { ...(vm.status ?? {}), stateChangeRequests: requests });
  }
}
