import { v7 as uuidv7 } from 'uuid';
import type { VirtualMachineCommand } from '../../../src/domain/virtual-machine/virtual-machine.commands.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { CommandMetadata } from '../../../src/handlers/shared/command-metadata.js';
import { TaskDeadlineSweeper } from '../../../src/handlers/sagas/task-deadline-sweeper.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { eventually } from '../../support/eventually.js';
import { events } from '../../unit/domain/vm-fixtures.js';
import { allProjections, backends, type Backend } from '../projections/read-model-harness.js';

const DEADLINE_MS = 600_000;
const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const timeout = { code: 'TaskTimeout', message: 'The create task did not finish within its deadline of 600 s.' };
const boom = { code: 'Boom', message: 'boom' };

describe.each(await backends())('task deadline sweep over the servers read model (%s)', (_dialect, open) => {
  let backend: Backend;
  let sent: Array<{ command: VirtualMachineCommand; meta: CommandMetadata }>;
  const sweeper = (nowMs: number, execute?: (command: VirtualMachineCommand) => Promise<unknown>) =>
    new TaskDeadlineSweeper({
      db: backend.db,
      deadlineMs: DEADLINE_MS,
      now: () => T0 + nowMs,
      intervalMs: 10,
      execute: async (command, meta) => {
        sent.push({ command, meta });
        return execute?.(command);
      },
    });

  /** A VM's history appended under its own id, each event at the given offset from T0, and folded into the read models. */
  async function vm(history: VirtualMachineEvent[], offsetMs: number[]): Promise<string> {
    const vmId = uuidv7();
    const requestId = `req-${vmId}`;
    await backend.store.append(
      `vm-${vmId}`,
      history.map((e, i) => ({
        ...e,
        data: { ...e.data, vmId },
        id: uuidv7(),
        schemaVersion: 1,
        occurredAt: at(offsetMs[i] ?? offsetMs[offsetMs.length - 1]!),
        metadata: { requestId, correlationId: requestId, causationId: requestId, actor: { userId: 'u', projectId: 'project-a', roles: ['member'] } },
      })) as never,
    );
    await new ProjectionRunner({ db: backend.db, store: backend.store, projections: allProjections() }).catchUp();
    return vmId;
  }

  beforeEach(async () => {
    backend = await open();
    sent = [];
  });
  afterEach(() => backend.close());

  it('given a build started just under the deadline ago, when swept, then nothing; at the deadline, then ExpireTask under its own request', async () => {
    const vmId = await vm([events.created()], [0]);

    expect(await sweeper(DEADLINE_MS - 1).sweep()).toBe(0);
    expect(sent).toEqual([]);

    expect(await sweeper(DEADLINE_MS).sweep()).toBe(1);
    expect(sent).toEqual([
      {
        command: { type: 'ExpireTask', data: { vmId, taskId: 'task-create', deadlineMs: DEADLINE_MS } },
        meta: { requestId: `req-${vmId}`, actor: expect.objectContaining({ userId: 'virtplane' }) },
      },
    ]);
  });

  it('given a task that started late in its server\'s life, then its deadline counts from its start, not from the server\'s', async () => {
    const vmId = await vm([...events.built(), ...events.stopped().slice(4, 5)], [0, 0, 0, 0, 300_000]);

    expect(await sweeper(DEADLINE_MS + 1).sweep()).toBe(0);
    expect(await sweeper(DEADLINE_MS + 300_000).sweep()).toBe(1);
    expect(sent[0]!.command).toEqual({ type: 'ExpireTask', data: { vmId, taskId: 'task-stop', deadlineMs: DEADLINE_MS } });
  });

  it('given tasks that ended, and a compensation the timeout started, when swept long after, then none is expired', async () => {
    await vm(events.built(), [0]);
    await vm(events.compensatingBuild(timeout), [0]);

    expect(await sweeper(10 * DEADLINE_MS).sweep()).toBe(0);
    expect(sent).toEqual([]);
  });

  it('given a compensation of another failure still running at the deadline, then it is expired (cut short)', async () => {
    const vmId = await vm(events.compensatingBuild(boom), [0]);
    expect(await sweeper(DEADLINE_MS).sweep()).toBe(1);
    expect(sent.map((s) => s.command.data.vmId)).toEqual([vmId]);
  });

  it('given one expiry that fails, when swept, then the others are still expired and the failure is reported', async () => {
    const [a, b] = [await vm([events.created()], [0]), await vm([events.created()], [1])];
    const reported: unknown[] = [];
    const s = new TaskDeadlineSweeper({
      db: backend.db,
      deadlineMs: DEADLINE_MS,
      now: () => T0 + DEADLINE_MS + 1,
      execute: async (command) => {
        sent.push({ command, meta: { requestId: '', actor: { userId: '', projectId: '', roles: [] } } });
        if (command.data.vmId === a) throw new Error('store away');
      },
      onError: (error) => reported.push(error),
    });

    expect(await s.sweep()).toBe(1);
    expect(sent.map((x) => x.command.data.vmId)).toEqual([a, b]);
    expect(reported).toEqual([new Error('store away')]);
  });

  it('given the sweeper started, then it sweeps on its own until stopped', async () => {
    const vmId = await vm([events.created()], [0]);
    const s = sweeper(DEADLINE_MS);
    s.start();
    await eventually(() => expect(sent.map((x) => x.command.data.vmId)).toContain(vmId));
    await s.stop();
    const count = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toHaveLength(count);
  });
});
