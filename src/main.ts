import 'reflect-metadata';
import cluster from 'node:cluster';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { runApiProcesses } from './app/api-processes.js';
import { AppModule } from './app/app.module.js';
import { InvalidConfigError, loadConfig } from './config/load-config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      process.stderr.write(`virtplane: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if ((config.API_PROCESSES > 1 || config.BACKGROUND_PROCESS) && cluster.isPrimary) {
    await runApiProcesses(config, (line) => process.stdout.write(`virtplane: ${line}\n`));
    return;
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  if (config.PROCESS_ROLE === 'background') {
    // Serves no HTTP: under node:cluster, a process that never listens is handed no connections.
    await app.init();
    app.get(Logger).log(`virtplane background process running (event store: ${config.EVENT_STORE})`);
    return;
  }
  await app.listen(config.PORT, config.HOST);
  app.get(Logger).log(`virtplane listening on http://${config.HOST}:${config.PORT} (event store: ${config.EVENT_STORE}${config.PROCESS_ROLE === 'api' ? ', API only' : ''})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`virtplane: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
