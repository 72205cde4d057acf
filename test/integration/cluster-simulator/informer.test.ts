import { makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import { createNamespace, eventually, ns, startFixture, type SimulatorFixture } from './simulator-fixture.js';

const secret = (name: string) => ({ metadata: { name }, stringData: { k: name } });

describe('cluster simulator: client-node informer', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture({ watchHistorySize: 3, bookmarkIntervalMs: 100 });
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  it('given an informer, when its watch is dropped and then expires (410), then it reconnects, relists and ends up with the current objects', async () => {
    await fixture.core.createNamespacedSecret({ namespace: ns, body: secret('s0') });
    let lists = 0;
    const informer = makeInformer(fixture.kubeConfig, `/api/v1/namespaces/${ns}/secrets`, () => {
      lists++;
      return fixture.core.listNamespacedSecret({ namespace: ns });
    });
    const names = () => new Set(informer.list().map((o: KubernetesObject) => o.metadata?.name));
    const errors: unknown[] = [];
    informer.on('error', (error) => {
      errors.push(error);
      // as the adapter would: restart after an error
      setTimeout(() => void informer.start(), 20);
    });
    await informer.start();
    try {
      expect(names()).toEqual(new Set(['s0']));
      await fixture.core.createNamespacedSecret({ namespace: ns, body: secret('s1') });
      await eventually(() => names().has('s1'), 5000, 's1 seen');

      // a dropped connection: the informer watches again from its last resourceVersion
      expect(fixture.simulator.control.dropWatches()).toBeGreaterThan(0);
      await fixture.core.createNamespacedSecret({ namespace: ns, body: secret('s2') });
      await eventually(() => names().has('s2'), 5000, 's2 seen after the drop');

      // its next watch is held back while more than the history window changes: the resume gets 410 and the informer relists
      const listsBefore = lists;
      fixture.simulator.control.delayNext({ verb: 'watch', resource: 'secrets', delayMs: 500 });
      fixture.simulator.control.dropWatches();
      for (let i = 3; i < 9; i++) await fixture.core.createNamespacedSecret({ namespace: ns, body: secret(`s${i}`) });
      await fixture.core.deleteNamespacedSecret({ namespace: ns, name: 's0' });
      await eventually(async () => {
        const current = (await fixture.core.listNamespacedSecret({ namespace: ns })).items.map((s) => s.metadata?.name);
        const seen = names();
        return current.length === seen.size && current.every((n) => seen.has(n)) ? true : undefined;
      }, 10000, 'informer converged with the server');
      expect(names().has('s0')).toBe(false);
      expect(lists).toBeGreaterThan(listsBefore); // the 410 made it relist
    } finally {
      await informer.stop();
    }
  });
});
