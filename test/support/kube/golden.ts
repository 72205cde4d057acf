import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RecordedRequest } from './recording-kube-server.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'kubevirt-requests');

/**
 * Compares recorded requests with test/fixtures/kubevirt-requests/<name>.json; UPDATE_GOLDEN=1
 * writes the fixture instead (then review the diff against kubevirt-api.md before committing).
 */
export function expectGolden(name: string, requests: RecordedRequest[]): void {
  const file = join(FIXTURES, `${name}.json`);
  const actual = JSON.parse(JSON.stringify(requests)) as unknown;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI === 'true' && process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden fixture ${file} is missing`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
