import { openStorage } from '../app/storage.js';
import { InvalidConfigError, loadConfig } from '../config/load-config.js';
import { createAllProjections } from './all-projections.js';
import { rebuildProjections } from './rebuild.js';

/**
 * `npm run rebuild-projection -- <name...|all>`: drops the named read models and replays the whole
 * log into them, with the service's own configuration (EVENT_STORE, DATA_DIR, DATABASE_URL, ...).
 * Run it with the service stopped: the service's runner would fold the same events concurrently.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const projections = createAllProjections();
  if (argv.length === 0) {
    process.stderr.write(`usage: rebuild-projection <${projections.map((p) => p.name).join('|')}|all>...\n`);
    return 2;
  }
  const names = argv.includes('all') ? 'all' : argv;
  const config = loadConfig(env);
  const { store, readModelDb: db, close } = await openStorage(config);
  try {
    const started = Date.now();
    const checkpoints = await rebuildProjections({ db, store, projections, names, batchSize: config.PROJECTION_BATCH_SIZE });
    const seconds = (Date.now() - started) / 1000;
    for (const [name, position] of Object.entries(checkpoints)) process.stdout.write(`${name}: rebuilt to position ${position}\n`);
    process.stdout.write(`done in ${seconds.toFixed(1)} s\n`);
    return 0;
  } finally {
    await close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = error instanceof InvalidConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`rebuild-projection: ${message}\n`);
      process.exit(error instanceof InvalidConfigError ? 2 : 1);
    },
  );
}
