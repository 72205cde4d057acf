import { randomUUID } from 'node:crypto';
import { PermanentAdapterError, TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { DomainDefinition } from '../../../src/adapters/libvirt/domain-host.js';
import type { DomainChange, DomainRef, HypervisorOperation, HypervisorPort, MigrationJob } from '../../../src/adapters/libvirt/hypervisor.port.js';
import type { FaultControl } from '../../../src/adapters/simulation/fault-injector.js';
import { parseDomainXml } from '../../../src/adapters/libvirt/domain-xml.js';
import { eventually, hasSettled } from '../../support/eventually.js';

/** The port plus what stands outside it: starting and stopping domains, as virt-launcher does. */
export interface HypervisorHarness {
  hypervisor: HypervisorPort;
  /** A node the harness can start domains on. */
  node: string;
  faults: FaultControl<HypervisorOperation>;
  startDomain(definition: DomainDefinition): Promise<void>;
  /** The guest powers off outside our control; the domain stays defined, shut off. */
  shutOffDomain(ref: DomainRef): Promise<void>;
  /** The domain goes away (the launcher pod ended). */
  removeDomain(ref: DomainRef): Promise<void>;
  /**
   * The node's libvirt runs (or, with null, ends) an outgoing migration of the domain with these
   * memory figures. Absent where the hypervisor keeps no job statistics (libvirt's test driver):
   * there the port must say NotSupported.
   */
  setMigrationJob?(ref: DomainRef, job: MigrationJob | null): Promise<void>;
  dispose(): Promise<void>;
}

export type MakeHypervisorHarness = () => Promise<HypervisorHarness>;

const WAIT_MS = 10_000;

/**
 * migrationJobs: whether the harness can run migration jobs (setMigrationJob); a hypervisor that
 * keeps no job statistics is held to NotSupported instead.
 */
export function hypervisorContract(name: string, makeHarness: MakeHypervisorHarness, { migrationJobs = true }: { migrationJobs?: boolean } = {}): void {
  describe(`Hypervisor contract: ${name}`, () => {
    let harness: HypervisorHarness;
    let hypervisor: HypervisorPort;

    beforeEach(async () => {
      harness = await makeHarness();
      hypervisor = harness.hypervisor;
    });
    afterEach(() => harness.dispose());

    async function running(vcpus = { current: 2, max: 8 }, memoryMiB = { current: 2048, max: 8192 }): Promise<DomainRef> {
      const ref = { vmId: randomUUID(), node: harness.node };
      await harness.startDomain({ ref, vcpus, memoryMiB, state: 'running' });
      return ref;
    }

    const domain = async (ref: DomainRef) => {
      const info = await hypervisor.getDomain(ref);
      if (!info) throw new Error(`no domain for ${ref.vmId}`);
      return info;
    };

    it('given no domain, when looked up, then it is null; when resized, then DomainNotFound', async () => {
      const ref = { vmId: randomUUID(), node: harness.node };
      expect(await hypervisor.getDomain(ref)).toBeNull();
      const error = await hypervisor.setVcpus(ref, 2).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentAdapterError);
      expect(error).toMatchObject({ code: 'DomainNotFound', retryable: false });
      await expect(hypervisor.setMemory(ref, 1024)).rejects.toMatchObject({ code: 'DomainNotFound' });
    });

    it('given a running domain, when looked up, then it reports state and sizes', async () => {
      const ref = await running();
      expect(await domain(ref)).toMatchObject({ ref, state: 'running', vcpus: { current: 2, max: 8 }, memoryMiB: { current: 2048, max: 8192 } });
    });

    it('given a running domain, when vCPUs are set twice, then it has the new count and the guest eventually reports it', async () => {
      const ref = await running();
      await hypervisor.setVcpus(ref, 4);
      await hypervisor.setVcpus(ref, 4);
      expect((await domain(ref)).vcpus).toEqual({ current: 4, max: 8 });
      await eventually(async () => {
        const guest = (await domain(ref)).guest;
        if (guest) expect(guest.vcpusOnline).toBe(4);
      }, WAIT_MS);
    });

    it('given a running domain, when memory is set twice, then it has the new size and the guest eventually reports it', async () => {
      const ref = await running();
      await hypervisor.setMemory(ref, 4096);
      await hypervisor.setMemory(ref, 4096);
      expect((await domain(ref)).memoryMiB).toEqual({ current: 4096, max: 8192 });
      await eventually(async () => {
        const guest = (await domain(ref)).guest;
        if (guest) expect(guest.memoryMiB).toBe(4096);
      }, WAIT_MS);
    });

    it('given a running domain, when sized beyond its maximum, then OverMaximum and the size is unchanged', async () => {
      const ref = await running();
      const error = await hypervisor.setVcpus(ref, 9).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentAdapterError);
      expect(error).toMatchObject({ code: 'OverMaximum', retryable: false });
      await expect(hypervisor.setMemory(ref, 8193)).rejects.toMatchObject({ code: 'OverMaximum', retryable: false });
      expect(await domain(ref)).toMatchObject({ vcpus: { current: 2 }, memoryMiB: { current: 2048 } });
    });

    it('given a running domain, when asked for fewer than one vCPU, then it is refused as invalid', async () => {
      const ref = await running();
      await expect(hypervisor.setVcpus(ref, 0)).rejects.toMatchObject({ code: 'Invalid', retryable: false });
    });

    it('given a running domain, when its XML is read, then the live and persistent sizes parse to what getDomain says', async () => {
      const ref = await running();
      await hypervisor.setVcpus(ref, 3);
      const live = parseDomainXml((await hypervisor.getDomainXml(ref, 'live')) ?? '');
      const config = parseDomainXml((await hypervisor.getDomainXml(ref, 'config')) ?? '');
      expect(live).toMatchObject({ active: true, vcpus: { current: 3, max: 8 }, memoryKiB: { current: 2048 * 1024, max: 8192 * 1024 } });
      expect(config).toMatchObject({ active: false, vcpus: { current: 2, max: 8 }, memoryKiB: { current: 2048 * 1024 } });
      expect(await hypervisor.getDomainXml({ vmId: randomUUID(), node: harness.node }, 'live')).toBeNull();
    });

    it('given a running domain, when resized in its config only, then the next boot changes and the guest does not', async () => {
      const ref = await running();
      await hypervisor.setVcpus(ref, 6, 'config');
      await hypervisor.setMemory(ref, 6144, 'config');
      await hypervisor.setMemory(ref, 6144, 'config');
      expect(await domain(ref)).toMatchObject({ vcpus: { current: 2 }, memoryMiB: { current: 2048 }, persistent: { vcpus: 6, memoryMiB: 6144 } });
      await expect(hypervisor.setVcpus(ref, 9, 'config')).rejects.toMatchObject({ code: 'OverMaximum', retryable: false });
    });

    it('given a running domain, when resized live and in its config, then both change, and a repeat is a no-op', async () => {
      const ref = await running();
      await hypervisor.setVcpus(ref, 4, 'both');
      await hypervisor.setMemory(ref, 3072, 'both');
      await hypervisor.setVcpus(ref, 4, 'both');
      expect(await domain(ref)).toMatchObject({ vcpus: { current: 4, max: 8 }, memoryMiB: { current: 3072, max: 8192 }, persistent: { vcpus: 4, memoryMiB: 3072 } });
    });

    it('given a shut-off domain, when resized in its config, then the config changes; live or both is DomainNotRunning', async () => {
      const ref = await running();
      await harness.shutOffDomain(ref);
      await hypervisor.setVcpus(ref, 5, 'config');
      expect((await domain(ref)).persistent).toEqual({ vcpus: 5, memoryMiB: 2048 });
      await expect(hypervisor.setMemory(ref, 4096, 'both')).rejects.toMatchObject({ code: 'DomainNotRunning' });
    });

    it('given a shut-off domain, when resized live, then DomainNotRunning', async () => {
      const ref = await running();
      await harness.shutOffDomain(ref);
      expect((await domain(ref)).state).toBe('shutoff');
      await expect(hypervisor.setVcpus(ref, 3)).rejects.toMatchObject({ code: 'DomainNotRunning', retryable: false });
    });

    it('given a watch, when a domain starts, is resized, shuts off and goes away, then each is reported', async () => {
      const changes: DomainChange[] = [];
      const vmId = randomUUID();
      const watch = hypervisor.watchDomains((change) => {
        if (change.domain.ref.vmId === vmId) changes.push(change);
      });
      const ref = { vmId, node: harness.node };
      await harness.startDomain({ ref, vcpus: { current: 1, max: 4 }, memoryMiB: { current: 1024, max: 4096 }, state: 'running' });
      await eventually(() => expect(changes[0]).toMatchObject({ type: 'ADDED', domain: { state: 'running' } }), WAIT_MS);
      await hypervisor.setVcpus(ref, 2);
      await eventually(() => expect(changes.some((c) => c.type === 'MODIFIED' && c.domain.vcpus.current === 2)).toBe(true), WAIT_MS);
      await harness.shutOffDomain(ref);
      await eventually(() => expect(changes.some((c) => c.type === 'MODIFIED' && c.domain.state === 'shutoff')).toBe(true), WAIT_MS);
      await harness.removeDomain(ref);
      await eventually(() => expect(changes.at(-1)?.type).toBe('DELETED'), WAIT_MS);
      watch.stop();
      expect(await hypervisor.getDomain(ref)).toBeNull();
    });

    it('given no domain, when its migration job is asked, then it is null', async () => {
      expect(await hypervisor.getMigrationJob({ vmId: randomUUID(), node: harness.node })).toBeNull();
    });

    if (!migrationJobs) {
      it('given a hypervisor without job statistics, when a running domain\'s migration job is asked, then NotSupported (permanent)', async () => {
        const ref = await running();
        const error = await hypervisor.getMigrationJob(ref).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermanentAdapterError);
        expect(error).toMatchObject({ code: 'NotSupported', retryable: false });
      });
    }

    // A hypervisor that keeps job statistics (the libvirt test driver keeps none: it has the case above instead).
    if (migrationJobs) {
      const setJob = (ref: DomainRef, job: MigrationJob | null) => {
        if (!harness.setMigrationJob) throw new Error('the harness says it runs migration jobs but has no setMigrationJob');
        return harness.setMigrationJob(ref, job);
      };

      it('given a running domain without a job, when its migration job is asked, then it is null', async () => {
        expect(await hypervisor.getMigrationJob(await running())).toBeNull();
      });

      it('given a domain migrating out, when its job is read as it copies, then processed grows, remaining shrinks, and once it ends there is none', async () => {
        const ref = await running();
        const total = 2048 * 2 ** 20;
        await setJob(ref, { memoryTotalBytes: total, memoryProcessedBytes: total / 4, memoryRemainingBytes: (total * 3) / 4 });
        const early = await hypervisor.getMigrationJob(ref);
        await setJob(ref, { memoryTotalBytes: total, memoryProcessedBytes: total * 0.9, memoryRemainingBytes: total * 0.1 });
        const late = await hypervisor.getMigrationJob(ref);
        expect(early).toEqual({ memoryTotalBytes: total, memoryProcessedBytes: total / 4, memoryRemainingBytes: (total * 3) / 4 });
        expect(late!.memoryProcessedBytes).toBeGreaterThan(early!.memoryProcessedBytes);
        expect(late!.memoryRemainingBytes).toBeLessThan(early!.memoryRemainingBytes);
        await setJob(ref, null);
        expect(await hypervisor.getMigrationJob(ref)).toBeNull();
      });

      it('given a domain migrating out, when the guest shuts off, then it has no migration job', async () => {
        const ref = await running();
        await setJob(ref, { memoryTotalBytes: 2 ** 30, memoryProcessedBytes: 2 ** 29, memoryRemainingBytes: 2 ** 29 });
        await harness.shutOffDomain(ref);
        expect(await hypervisor.getMigrationJob(ref)).toBeNull();
      });
    }

    it('given the next two calls fail transiently, when retried, then the third succeeds', async () => {
      const ref = await running();
      harness.faults.failNext('setVcpus', 2, new TransientAdapterError('ConnectionRefused', 'injected: libvirtd unreachable'));
      await expect(hypervisor.setVcpus(ref, 3)).rejects.toMatchObject({ retryable: true });
      await expect(hypervisor.setVcpus(ref, 3)).rejects.toBeInstanceOf(TransientAdapterError);
      expect((await domain(ref)).vcpus.current).toBe(2);
      await hypervisor.setVcpus(ref, 3);
      expect((await domain(ref)).vcpus.current).toBe(3);
    });

    it('given a lost response, when retried, then the retry is a no-op with the same result', async () => {
      const ref = await running();
      harness.faults.failAfterNext('setMemory', 1, new TransientAdapterError('Timeout', 'injected timeout'));
      await expect(hypervisor.setMemory(ref, 3072)).rejects.toMatchObject({ code: 'Timeout' });
      await hypervisor.setMemory(ref, 3072);
      expect((await domain(ref)).memoryMiB.current).toBe(3072);
    });

    it('given a hang, when a resize is asked, then it waits until released and then takes effect', async () => {
      const ref = await running();
      const hang = harness.faults.hang('setVcpus');
      const call = hypervisor.setVcpus(ref, 5);
      await eventually(() => expect(hang.pending).toBe(1), WAIT_MS);
      expect(await hasSettled(call)).toBe(false);
      expect((await domain(ref)).vcpus.current).toBe(2);
      hang.release();
      await call;
      expect((await domain(ref)).vcpus.current).toBe(5);
    });
  });
}
