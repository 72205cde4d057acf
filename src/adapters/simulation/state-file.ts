import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * A simulation's state as one JSON file, rewritten after every change. The write goes through a
 * temporary file and a rename, so a process killed mid-write leaves the previous state whole.
 */
export class StateFile<T> {
  constructor(readonly path: string) {}

  load(): T | undefined {
    if (!existsSync(this.path)) return undefined;
    return JSON.parse(readFileSync(this.path, 'utf8')) as T;
  }

  save(state: T): void {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, this.path);
  }
}
