import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { UpcasterChain } from '../../../src/adapters/event-store/upcaster.js';
import { upcasters } from '../../../src/domain/upcasters.js';
import { evolveServerView, foldServerView, type ServerView } from '../../../src/projections/servers/server-view.js';
import { readEventLog } from '../../fixtures/event-log.js';

const chain = new UpcasterChain(upcasters);
const upcast = (e: RecordedEvent): RecordedEvent => ({ ...e, ...chain.upcast(e.type, e.schemaVersion, e.data) });
const log = readEventLog('lifecycle').map(upcast);
const streamOf = (vmId: string, upTo = Number.POSITIVE_INFINITY) =>
  log.filter((e) => e.streamId === `vm-${vmId}` && e.position <= upTo);
const positionOf = (vmId: string, type: string, nth = 0) => log.filter((e) => e.streamId === `vm-${vmId}` && e.type === type)[nth]!.position;

const WEB = '6f0c3a52-8d1e-4b7a-9c2f-1e5d8a3b7c40';
const DB = 'a9d84e17-3c5b-4f2a-8e6d-0b7c9f1a2d35';
const BATCH = 'c2b7e9f4-1a6d-4e8c-b3f5-7d2a0e9c6b18';
const SCRATCH = 'e5a1c8d3-7f2b-4a9e-8c6d-3b0f5e2a9d71';

const stateAfter = (vmId: string, type: string, nth = 0): ServerView => foldServerView(streamOf(vmId, positionOf(vmId, type, nth)))!;

describe('evolveServerView', () => {
  it('given no server, when an event other than VMCreated arrives, then there is still no server', () => {
    const renamed = streamOf(WEB).find((e) => e.type === 'VMRenamed')!;
    expect(evolveServerView(undefined, renamed)).toBeUndefined();
  });

  it('given VMCreated, then the server is BUILD in the first task state, with the create snapshot', () => {
    const view = stateAfter(WEB, 'VMCreated');
    expect(view).toMatchObject({
      id: WEB,
      name: 'web-1',
      status: 'BUILD',
      vmState: 'building',
      taskState: 'scheduling',
      powerState: 0,
      keyName: 'alice-laptop',
      metadata: { role: 'web', env: 'prod' },
      availabilityZone: 'nova',
      userDataPresent: true,
      locked: false,
      deleted: false,
      host: null,
      addresses: {},
      fault: null,
      created: '2026-03-02T09:10:00.000Z',
      updated: '2026-03-02T09:10:00.000Z',
    });
    expect(view.flavor).toMatchObject({ id: '2', name: 'm1.small', vcpus: 1, ramMb: 2048 });
    expect(JSON.stringify(view)).not.toContain('3b5d5c37');
  });

  it('given a create task, when its first step succeeds, then task_state moves to the next step and progress to half', () => {
    const first = streamOf(WEB).find((e) => e.type === 'TaskStepSucceeded')!;
    const view = foldServerView(streamOf(WEB, first.position))!;
    expect(view).toMatchObject({ taskState: 'spawning', status: 'BUILD', progress: 50, updated: first.occurredAt });
  });

  it('when VMBuilt, then the server is ACTIVE and RUNNING on its host with launched_at', () => {
    expect(stateAfter(WEB, 'VMBuilt')).toMatchObject({
      status: 'ACTIVE',
      vmState: 'active',
      taskState: null,
      powerState: 1,
      host: 'node-1',
      launchedAt: '2026-03-02T09:10:31.000Z',
      task: null,
    });
  });

  it('when a build fails, then the server is ERROR with a fault from the step error', () => {
    expect(foldServerView(streamOf(DB))).toMatchObject({
      status: 'ERROR',
      vmState: 'error',
      taskState: null,
      fault: {
        code: 500,
        message: 'No valid host was found. There are not enough hosts available.',
        details: '0/3 nodes are available: 3 Insufficient memory.',
        created: '2026-03-02T09:11:02.000Z',
      },
    });
  });

  it.each([
    ['VMStopRequested', { status: 'ACTIVE', taskState: 'powering-off' }],
    ['VMStopped', { status: 'SHUTOFF', vmState: 'stopped', powerState: 4, taskState: null }],
    ['VMStartRequested', { status: 'SHUTOFF', taskState: 'powering-on' }],
    ['VMStarted', { status: 'ACTIVE', powerState: 1 }],
    ['VMRenamed', { name: 'web-frontend-1' }],
    ['VMRebootRequested', { status: 'REBOOT', taskState: 'rebooting' }],
    ['VMRebooted', { status: 'ACTIVE', taskState: null }],
    ['VMPaused', { status: 'PAUSED', vmState: 'paused', powerState: 3 }],
    ['VMUnpauseRequested', { status: 'PAUSED', taskState: 'unpausing' }],
  ] as const)('when %s, then the server shows %j', (type, expected) => {
    expect(stateAfter(WEB, type)).toMatchObject(expected);
  });

  it('when an unpause fails, then the server goes back to PAUSED with no task and no fault', () => {
    expect(stateAfter(WEB, 'TaskFailed')).toMatchObject({ status: 'PAUSED', vmState: 'paused', powerState: 3, taskState: null, fault: null });
  });

  it('given the whole log, then the web server is in a hard reboot still running', () => {
    expect(foldServerView(streamOf(WEB))).toMatchObject({ status: 'HARD_REBOOT', vmState: 'active', taskState: 'rebooting_hard' });
  });

  it('when VMDeleted, then the server stays, marked deleted with terminated_at', () => {
    expect(foldServerView(streamOf(BATCH))).toMatchObject({
      status: 'DELETED',
      vmState: 'deleted',
      deleted: true,
      powerState: 0,
      terminatedAt: '2026-03-02T12:00:01.500Z',
      host: 'node-2',
    });
  });

  it('given a building server, when a delete supersedes the build, then the server ends deleted', () => {
    expect(stateAfter(SCRATCH, 'VMDeleteRequested')).toMatchObject({ status: 'BUILD', taskState: 'deleting' });
    expect(foldServerView(streamOf(SCRATCH))).toMatchObject({ status: 'DELETED', deleted: true, task: null });
  });

  it('sets updated to the occurredAt of the last event of the stream', () => {
    const events = streamOf(WEB);
    expect(foldServerView(events)!.updated).toBe(events[events.length - 1]!.occurredAt);
  });

  it('ignores a second VMCreated and unknown events', () => {
    const view = foldServerView(streamOf(WEB))!;
    const created = streamOf(WEB)[0]!;
    expect(evolveServerView(view, created)).toBe(view);
    expect(evolveServerView(view, { ...created, type: 'SomethingNew', occurredAt: '2030-01-01T00:00:00.000Z' })).toEqual({
      ...view,
      updated: '2030-01-01T00:00:00.000Z',
    });
  });

  it('given a v1 VMCreated lifted by the upcaster, then the view equals the one from the v2 log', () => {
    const v1 = foldServerView(readEventLog('vm-created-v1').map(upcast));
    const v2 = foldServerView(readEventLog('vm-created-v2').map(upcast));
    expect(v1).toEqual(v2);
    expect(v1!.flavor).toEqual({ id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1, ephemeralGb: 0, swapMb: 0, maxVcpus: 1, maxRamMb: 512, extraSpecs: {} });
  });
});
