import { v7 as uuidv7 } from 'uuid';
import type { VirtualMachineCommand } from '../../../src/domain/virtual-machine/virtual-machine.commands.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import { TEST_REDIS_URL } from '../../support/redis.js';
import { ServiceHarness, buildService, type ServiceBuild } from '../../support/service-process.js';
import { ACTOR, ServiceClient, streamSummary, until } from './recovery-kit.js';

/**
 * Installations of the service on the embedded cluster simulator for the crash tests of one describe
 * block (registers its beforeAll/afterAll): one build shared by all, every harness and client cleaned
 * up after. `activeServer` makes an installation with an ACTIVE server and stops the service, so the
 * next run can arm a failpoint; `execute` sends a command straight to the VM's stream.
 */
export function useActiveServerInstallations() {
  let building: Promise<ServiceBuild> | undefined;
  const build = () => (building ??= buildService());
  const harnesses: ServiceHarness[] = [];
  const clients: ServiceClient[] = [];

  beforeAll(async () => {
    await build();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(harnesses.map((h) => h.cleanup()));
    (await building?.catch(() => undefined))?.remove();
  });

  async function activeServer(label: string, env: Record<string, string> = {}) {
    const harness = new ServiceHarness({ build: await build(), redisUrl: TEST_REDIS_URL, env: { CLUSTER_BACKEND: 'simulator', SIM_PERSIST: 'true', SIM_STEP_MS: '10', ...env } });
    harnesses.push(harness);
    const first = await harness.start({}, `${label}: first run`);
    const client = await ServiceClient.open(harness);
    clients.push(client);
    const { vmId } = await client.createServer(label);
    const context = async () => `stream: ${streamSummary(await client.vmStream(vmId)).join(', ')}\n${harness.diagnostics()}`;
    await until(`VM ${vmId} to be active`, async () => (await client.vm(vmId))?.vmState === 'active' && (await client.vm(vmId))?.task === null, 60_000, context);
    await first.kill('SIGTERM', 20_000);
    const executor = new AggregateExecutor(client.store, new SystemClock(), new UuidV7Generator());
    const execute = (command: VirtualMachineCommand) =>
      executor.execute(vmStreamId(vmId), virtualMachineDecider, command, { requestId: `req-${uuidv7()}`, actor: ACTOR }, VIRTUAL_MACHINE_EVENT_VERSIONS);
    return { harness, client, vmId, execute, context };
  }

  return { activeServer };
}

/** The task's step results in a stream summary. */
export const stepResults = (summary: string[]) => summary.filter((t) => t.startsWith('TaskStep'));
