import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in virtplane's package.json, found by walking up from this file: the same from src/
 * (tests) and from dist/src/ (the built service).
 */
export function packageVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'virtplane' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`No package.json of virtplane above ${from}`);
  }
}
