// The module system is ESM (package.json "type": "module"); jest runs in its ESM mode.
// This test proves each ESM-only major we depend on loads under that choice.
describe('module system', () => {
  it('imports the ES-module majors of NestJS, @nestjs/cqrs and @kubernetes/client-node', async () => {
    const core = await import('@nestjs/core');
    const cqrs = await import('@nestjs/cqrs');
    const k8s = await import('@kubernetes/client-node');
    expect(typeof core.NestFactory.create).toBe('function');
    expect(typeof cqrs.CommandBus).toBe('function');
    expect(typeof k8s.KubeConfig).toBe('function');
  });

  it('boots a Nest application context with the CQRS module', async () => {
    const { Module } = await import('@nestjs/common');
    const { NestFactory } = await import('@nestjs/core');
    const { CqrsModule, CommandBus } = await import('@nestjs/cqrs');
    @Module({ imports: [CqrsModule.forRoot()] })
    class ProbeModule {}
    const app = await NestFactory.createApplicationContext(ProbeModule, { logger: false });
    expect(app.get(CommandBus)).toBeInstanceOf(CommandBus);
    await app.close();
  });
});
