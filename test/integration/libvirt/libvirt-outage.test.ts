import { randomUUID } from 'node:crypto';
import { TransientAdapterError } from '../../../src/adapters/adapter-errors.js';
import { TemplateDomainResolver } from '../../../src/adapters/libvirt/domain-resolver.js';
import type { DomainChange } from '../../../src/adapters/libvirt/hypervisor.port.js';
import { LibvirtHypervisor } from '../../../src/adapters/libvirt/libvirt-hypervisor.js';
import { LocalCommandRunner } from '../../../src/adapters/process/local-command-runner.js';
import { eventually } from '../../support/eventually.js';
import { privateLibvirtdOrSkip } from '../../support/libvirt-daemon.js';
import { putDomain } from '../../support/libvirt-domains.js';

/**
 * libvirtd stopped in the middle of a test and started again on the same socket. While it is down
 * virsh fails with "failed to connect to the hypervisor ... Connection refused" (the socket file
 * stays behind) and the adapter's calls fail transient, so a saga retries them. The test driver's
 * state does not survive the daemon, so after the restart the domain must be defined again, as a
 * launcher would; the watch's `virsh event` ends with the daemon and is started again.
 */
const daemon = await privateLibvirtdOrSkip('the libvirt outage integration test');
afterAll(() => daemon?.dispose());

(daemon ? describe : describe.skip)('libvirt hypervisor: daemon stopped and restarted', () => { // skipped only outside CI (a private libvirtd could not start); under CI=true it runs and fails
  it('given a daemon that stops mid-test, when called, then calls fail transient; after its restart they work again and the watch resumes', async () => {
    const node = 'node-o';
    const resolver = new TemplateDomainResolver({ uriTemplate: daemon!.uri, nameTemplate: 'vp-{vmId}' });
    const hypervisor = new LibvirtHypervisor({ runner: new LocalCommandRunner(), resolver, watchNodes: [node], pollIntervalMs: 500 });
    const seen: DomainChange[] = [];
    const watch = hypervisor.watchDomains((change) => seen.push(change));
    const ref = { vmId: randomUUID(), node };
    const definition = { vcpus: { current: 1, max: 4 }, memoryMiB: { current: 512, max: 2048 } };
    try {
      await putDomain(daemon!, resolver.domainName(ref), definition);
      await hypervisor.setVcpus(ref, 2);
      await eventually(() => expect(seen.some((c) => c.domain.ref.vmId === ref.vmId && c.domain.vcpus.current === 2)).toBe(true), 15_000);

      await daemon!.stop();
      for (const call of [() => hypervisor.getDomain(ref), () => hypervisor.setVcpus(ref, 3), () => hypervisor.setMemory(ref, 1024, 'both')]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TransientAdapterError);
        expect(error).toMatchObject({ code: 'ConnectionRefused', retryable: true });
      }

      await daemon!.restart();
      expect(await hypervisor.getDomain(ref)).toBeNull();
      await eventually(() => expect(seen.at(-1)).toMatchObject({ type: 'DELETED', domain: { ref } }), 15_000);

      await putDomain(daemon!, resolver.domainName(ref), definition);
      await hypervisor.setVcpus(ref, 3);
      await hypervisor.setMemory(ref, 1024, 'both');
      expect(await hypervisor.getDomain(ref)).toMatchObject({ state: 'running', vcpus: { current: 3 }, memoryMiB: { current: 1024 }, persistent: { memoryMiB: 1024 } });
      await eventually(() => expect(seen.at(-1)).toMatchObject({ domain: { ref, vcpus: { current: 3 }, memoryMiB: { current: 1024 } } }), 15_000);
      // After a DELETED the domain is new again.
      expect(seen.filter((c) => c.domain.ref.vmId === ref.vmId && c.type === 'ADDED')).toHaveLength(2);
    } finally {
      watch.stop();
      hypervisor.close();
    }
  });
});
