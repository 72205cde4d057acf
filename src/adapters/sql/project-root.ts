import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest directory at or above `from` that holds package.json. Code runs from src/ under jest
 * and from dist/ (or dist/src/) once compiled, so fixed `../..` paths would break in one of them.
 */
export function findProjectRoot(from: string | URL = import.meta.url): string {
  let dir = typeof from === 'string' && !from.startsWith('file:') ? from : dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new ProjectRootNotFoundError(String(from));
    dir = parent;
  }
}

export class ProjectRootNotFoundError extends Error {
  readonly code = 'PROJECT_ROOT_NOT_FOUND';
  constructor(from: string) {
    super(`No package.json found at or above ${from}`);
    this.name = 'ProjectRootNotFoundError';
  }
}
