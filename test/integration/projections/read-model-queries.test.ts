import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { decodeAuditCursor, InvalidAuditCursorError, queryAuditLog } from '../../../src/projections/audit/audit-log.queries.js';
import { getInstanceAction, listInstanceActions } from '../../../src/projections/instance-actions/instance-actions.queries.js';
import { serverStateAt } from '../../../src/projections/servers/server-state-at.js';
import { getServer, listServers } from '../../../src/projections/servers/servers.queries.js';
import { appendEventLog, readEventLog } from '../../fixtures/event-log.js';
import { allProjections, backends, type Backend } from './read-model-harness.js';

const WEB = '6f0c3a52-8d1e-4b7a-9c2f-1e5d8a3b7c40';
const DB = 'a9d84e17-3c5b-4f2a-8e6d-0b7c9f1a2d35';
const BATCH = 'c2b7e9f4-1a6d-4e8c-b3f5-7d2a0e9c6b18';
const ALICE = '4a1f0c9e2b7d4e6f8a3c5b1d9e0f2a7c';
const BOB_PROJECT = '2f3e4d5c6b7a48998877665544332211';
const log = readEventLog('lifecycle');

describe.each(await backends())('read-model queries over the lifecycle log (%s)', (_dialect, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
    await appendEventLog(backend.store, log);
    await new ProjectionRunner({ db: backend.db, store: backend.store, projections: allProjections(), batchSize: 10 }).catchUp();
  });
  afterAll(async () => {
    await backend.close();
  });

  describe('audit log', () => {
    it('holds every event of every stream, newest first', async () => {
      const page = await queryAuditLog(backend.db, { limit: 1000 });
      expect(page.items.map((i) => i.position)).toEqual(log.map((e) => e.position).reverse());
      expect(page.nextCursor).toBeNull();
    });

    it('filters by server', async () => {
      const { items } = await queryAuditLog(backend.db, { serverId: DB });
      expect(items.map((i) => i.type)).toEqual(['TaskFailed', 'TaskStepFailed', 'TaskStepSucceeded', 'VMCreated']);
      expect(items.every((i) => i.action === 'create')).toBe(true);
    });

    it('filters by user and by project', async () => {
      const byUser = await queryAuditLog(backend.db, { userId: ALICE, limit: 1000 });
      expect(byUser.items.length).toBe(log.filter((e) => e.metadata.actor.userId === ALICE).length);
      expect(new Set(byUser.items.map((i) => i.userId))).toEqual(new Set([ALICE]));
      const byProject = await queryAuditLog(backend.db, { projectId: BOB_PROJECT, limit: 1000 });
      expect(new Set(byProject.items.map((i) => i.serverId))).toEqual(new Set([DB, BATCH]));
    });

    it('filters by action, including step events of that action', async () => {
      const { items } = await queryAuditLog(backend.db, { action: 'unpause' });
      expect(items.map((i) => i.type)).toEqual([
        'VMUnpaused',
        'TaskStepSucceeded',
        'VMUnpauseRequested',
        'TaskFailed',
        'TaskStepFailed',
        'VMUnpauseRequested',
      ]);
      expect((await queryAuditLog(backend.db, { action: 'rename' })).items.map((i) => i.summary)).toEqual([
        { vmId: WEB, name: 'web-frontend-1', previousName: 'web-1' },
      ]);
      expect((await queryAuditLog(backend.db, { action: 'flavor-create' })).items).toHaveLength(2);
    });

    it('filters by a time range, both ends inclusive, and combines filters', async () => {
      const { items } = await queryAuditLog(backend.db, { from: '2026-03-02T10:00:00Z', to: '2026-03-02T10:05:01.500Z', serverId: WEB });
      expect(items.map((i) => i.type)).toEqual(['VMStarted', 'TaskStepSucceeded', 'VMStartRequested', 'VMStopped', 'TaskStepSucceeded', 'VMStopRequested']);
    });

    it('pages with an opaque cursor without gaps or repeats', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await queryAuditLog(backend.db, { serverId: WEB, limit: 4, cursor });
        expect(page.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.items.map((i) => i.position));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      const expected = log.filter((e) => e.streamId === `vm-${WEB}`).map((e) => e.position).reverse();
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 4));
    });

    it('refuses a cursor it did not hand out', async () => {
      await expect(queryAuditLog(backend.db, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidAuditCursorError);
      expect(() => decodeAuditCursor(Buffer.from('{"b":-1}').toString('base64url'))).toThrow(InvalidAuditCursorError);
    });

    it('keeps no secret: user data appears only as a flag', async () => {
      const { items } = await queryAuditLog(backend.db, { serverId: WEB, limit: 1000 });
      const created = items.find((i) => i.type === 'VMCreated')!;
      expect(created.summary).toMatchObject({ name: 'web-1', userDataPresent: true });
      expect(JSON.stringify(items)).not.toContain('3b5d5c3712955042');
    });
  });

  describe('instance actions', () => {
    it('lists a server’s actions newest first', async () => {
      const actions = await listInstanceActions(backend.db, WEB);
      expect(actions.map((a) => a.action)).toEqual(['reboot', 'unpause', 'unpause', 'pause', 'reboot', 'start', 'stop', 'create']);
      expect(actions[0]).toMatchObject({ finishTime: null, message: null, userId: ALICE });
      expect(actions[2]).toMatchObject({ message: 'Error' });
      expect(await listInstanceActions(backend.db, WEB, { limit: 2 })).toHaveLength(2);
    });

    it('gets one action by request id with its step events', async () => {
      const created = log.find((e) => e.type === 'VMCreated' && e.streamId === `vm-${DB}`)!;
      const action = await getInstanceAction(backend.db, DB, created.metadata.requestId);
      expect(action).toMatchObject({
        action: 'create',
        requestId: created.metadata.requestId,
        startTime: created.occurredAt,
        finishTime: '2026-03-02T09:11:02.000Z',
        message: 'Error',
      });
      expect(action!.events).toEqual([
        expect.objectContaining({ event: 'create-vm-object', result: 'Success', details: null }),
        expect.objectContaining({
          event: 'await-running',
          result: 'Error',
          startTime: '2026-03-02T09:10:32.700Z',
          finishTime: '2026-03-02T09:11:02.000Z',
          details: 'No valid host was found. There are not enough hosts available.',
          traceback: 'SCHEDULING_FAILED: 0/3 nodes are available: 3 Insufficient memory.',
        }),
      ]);
      expect(await getInstanceAction(backend.db, DB, 'req-unknown')).toBeUndefined();
    });
  });

  describe('servers', () => {
    it('lists a project’s live servers and, on request, the deleted ones', async () => {
      expect((await listServers(backend.db, { projectId: BOB_PROJECT })).map((s) => s.id)).toEqual([DB]);
      expect((await listServers(backend.db, { projectId: BOB_PROJECT, includeDeleted: true })).map((s) => s.id)).toEqual([BATCH, DB]);
      expect((await listServers(backend.db, { status: 'error' })).map((s) => s.name)).toEqual(['db-1']);
      expect((await listServers(backend.db, { name: 'frontend' })).map((s) => s.id)).toEqual([WEB]);
    });

    it('pages with a marker', async () => {
      const all = await listServers(backend.db, { includeDeleted: true });
      const rest = await listServers(backend.db, { includeDeleted: true, marker: all[0]!.id });
      expect(rest).toEqual(all.slice(1));
    });
  });

  describe('state at time T', () => {
    it.each([
      ['2026-03-02T09:09:59.999Z', undefined],
      ['2026-03-02T09:10:00.000Z', { status: 'BUILD', name: 'web-1' }],
      ['2026-03-02T10:00:00.500Z', { status: 'ACTIVE', taskState: 'powering-off' }],
      ['2026-03-02T10:03:00.000Z', { status: 'SHUTOFF', powerState: 4 }],
      ['2026-03-02T11:40:00Z', { status: 'PAUSED', name: 'web-frontend-1' }],
    ])('at %s the web server was %j', async (at, expected) => {
      const view = await serverStateAt(backend.store, WEB, at);
      if (expected === undefined) expect(view).toBeUndefined();
      else expect(view).toMatchObject(expected);
    });

    it('after the last event, equals the read model', async () => {
      expect(await serverStateAt(backend.store, WEB, new Date('2030-01-01T00:00:00Z'))).toEqual(await getServer(backend.db, WEB));
    });
  });
});
