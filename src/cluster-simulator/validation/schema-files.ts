import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The published schemas copied next to this code (see schemas/SOURCES.md). A build with swc copies
 * only .ts files, so a compiled simulator under dist/ falls back to the source tree's copy.
 */
function schemasDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../schemas'), resolve(here, '../../../../src/cluster-simulator/schemas'), resolve(process.cwd(), 'src/cluster-simulator/schemas')];
  const found = candidates.find((dir) => existsSync(resolve(dir, 'kubevirt.json')));
  if (!found) throw new Error(`cluster simulator schemas not found (looked in ${candidates.join(', ')})`);
  return found;
}

const cache = new Map<string, unknown>();

export function loadSchemaFile(name: string): Record<string, unknown> {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(resolve(schemasDirectory(), `${name}.json`), 'utf8')));
  return cache.get(name) as Record<string, unknown>;
}
