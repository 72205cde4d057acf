import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { CreateServerCommand } from '../../../src/handlers/virtual-machine/create-server.command.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/redis.js';

const actor = { userId: 'user-a', projectId: 'project-a', roles: ['member'] };

function createServer(bus: CommandBus, name: string) {
  return bus.execute(
    new CreateServerCommand(
      {
        vmId: uuidv7(),
        taskId: uuidv7(),
        name,
        projectId: actor.projectId,
        userId: actor.userId,
        flavorId: '1',
        imageRef: 'docker://quay.io/containerdisks/fedora:41',
        keyName: null,
        metadata: {},
        availabilityZone: null,
        userDataSha256: null,
      },
      { requestId: `req-${uuidv7()}`, actor },
    ),
  );
}

describe('the service on its embedded default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ READY_MAX_PROJECTION_LAG: '2' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a started service, when /healthz is asked, then it is alive', async () => {
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('given projections that keep up, when /readyz is asked, then ready with every check ok', async () => {
    const runner = t.app.get(ProjectionRunner);
    await runner.waitForPosition(1, 5_000);
    const res = await t.request('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { eventStore: { ok: true }, readModelDb: { ok: true }, jobQueue: { ok: true }, projections: { ok: true } },
    });
  });

  it('given projections stopped while commands append, when /readyz is asked, then 503 names the lagging projections; once they catch up, ready again', async () => {
    const runner = t.app.get(ProjectionRunner);
    const bus = t.app.get(CommandBus);
    await runner.stop();
    let last = 0;
    for (let i = 0; i < 4; i++) last = (await createServer(bus, `lag-${i}`)).lastPosition ?? 0;

    const lagging = await t.request('GET', '/readyz');
    expect(lagging.status).toBe(503);
    expect(lagging.json().checks.projections.ok).toBe(false);
    expect(lagging.json().checks.projections.detail).toMatch(/servers is \d+ events behind \(limit 2\)/);

    await runner.start();
    expect(await runner.waitForPosition(last, 5_000)).toBe(true);
    const ready = await t.request('GET', '/readyz');
    expect(ready.status).toBe(200);
  });

  it('given appends happened, when /metrics is scraped, then appends, append latency and projection lag are exported', async () => {
    // The servers created above are still being built by their sagas; wait for a step to finish.
    const res = await waitFor(async () => {
      const r = await t.request('GET', '/metrics');
      return /virtplane_saga_step_attempt_duration_seconds_count\{step="create-vm-object"/.test(r.text) ? r : undefined;
    }, 10_000, 'a saga step in /metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = res.text;
    expect(body).toMatch(/^virtplane_event_store_appends_total [1-9]\d*$/m);
    expect(body).toMatch(/^virtplane_event_store_append_duration_seconds_count [1-9]\d*$/m);
    expect(body).toMatch(/^virtplane_projection_lag_events\{projection="servers"\} \d+$/m);
    expect(body).toMatch(/^virtplane_saga_step_attempt_duration_seconds_count\{step="create-vm-object",outcome="succeeded"\} [1-9]\d*$/m);
  });
});
