import { readFileSync } from 'node:fs';
import { defaultIdentitySeed } from '../../../src/identity/default-identity-seed.js';
import { IdentityDirectory } from '../../../src/identity/identity-directory.js';
import { InvalidIdentityFileError } from '../../../src/identity/invalid-identity-file.error.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidIdentityFileError) return error.problems;
    throw error;
  }
  throw new Error('expected InvalidIdentityFileError');
}

const user = (extra: Record<string, unknown> = {}) => ({ name: 'u', password: 'p', ...extra });

describe('IdentityDirectory from a seed', () => {
  it('given the built-in seed, when loaded, then admin is admin on admin and demo a member of demo, in the default domain', () => {
    const dir = IdentityDirectory.fromSeed(defaultIdentitySeed({ admin: 'a', demo: 'd' }));
    const admin = dir.userByName('admin', { id: 'default' })!;
    const demo = dir.userByName('demo', { name: 'Default' })!;
    expect(dir.rolesOn(admin, dir.projectByName('admin', { id: 'default' })!)).toEqual(['admin', 'member', 'reader']);
    expect(dir.rolesOn(demo, dir.projectByName('demo', { id: 'default' })!)).toEqual(['member', 'reader']);
    expect(dir.rolesOn(demo, dir.projectByName('admin', { id: 'default' })!)).toEqual([]);
    expect(dir.projectsOf(demo).map((p) => p.name)).toEqual(['demo']);
  });

  it('given the same seed loaded twice, when ids are compared, then they are the same (tokens survive restarts)', () => {
    const a = IdentityDirectory.fromSeed(defaultIdentitySeed({ admin: 'a', demo: 'd' }));
    const b = IdentityDirectory.fromSeed(defaultIdentitySeed({ admin: 'x', demo: 'y' }));
    expect(a.userByName('admin', { id: 'default' })!.id).toBe(b.userByName('admin', { id: 'default' })!.id);
    expect(a.projectByName('demo', { id: 'default' })!.id).toBe(b.projectByName('demo', { id: 'default' })!.id);
  });

  it('given the two-tenant test file, when loaded, then demo2 and the auditor are there', () => {
    const text = readFileSync(new URL('../../integration/identity/fixtures/two-tenants.json', import.meta.url), 'utf8');
    const dir = IdentityDirectory.fromJson(text, 'two-tenants.json');
    const auditor = dir.userByName('auditor', { id: 'default' })!;
    expect(dir.projectsOf(auditor).map((p) => p.name)).toEqual(['demo', 'demo2']);
    expect(dir.rolesOn(auditor, dir.projectByName('demo2', { id: 'default' })!)).toEqual(['reader']);
  });

  it('given text that is not JSON, when loaded, then one problem naming the file', () => {
    expect(() => IdentityDirectory.fromJson('{"users": [', 'bad.json')).toThrow(/^Invalid identity file bad\.json:\n {2}- not valid JSON/);
  });

  it('given wrong shapes, when loaded, then every problem is listed with its place in the file', () => {
    const problems = problemsOf(() =>
      IdentityDirectory.fromSeed({ projects: [{ name: '' }], users: [user({ roles: [{ project: 'x', role: 'owner' }] }), { name: 'nopass' }], colour: 'blue' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^projects\[0\]\.name: /),
        expect.stringMatching(/^users\[0\]\.roles\[0\]\.role: /),
        expect.stringMatching(/^users\[1\]\.password: /),
        expect.stringMatching(/colour/),
      ]),
    );
  });

  it('given references that do not resolve and duplicate names, when loaded, then each is named', () => {
    const problems = problemsOf(() =>
      IdentityDirectory.fromSeed({
        projects: [{ name: 'p' }, { name: 'p' }, { name: 'q', domain: 'nowhere' }],
        users: [user({ default_project: 'missing', roles: [{ project: 'ghost', role: 'member' }] }), user()],
      }),
    );
    expect(problems).toEqual([
      'projects[2].domain: no domain with id "nowhere"',
      'projects: id "' + IdentityDirectory.fromSeed({ projects: [{ name: 'p' }], users: [user()] }).projectByName('p', { id: 'default' })!.id + '" appears more than once',
      'projects: name "p" appears more than once in domain "default"',
      'users[0].roles[0].project: no project "ghost" in domain "default"',
      'users[0].default_project: no project "missing" in domain "default"',
      expect.stringMatching(/^users: id "[0-9a-f]{32}" appears more than once$/),
      'users: name "u" appears more than once in domain "default"',
    ]);
  });

  it('given a bad file, when the error is shown, then no password appears in it', () => {
    let message = '';
    try {
      IdentityDirectory.fromSeed({ projects: [{ name: 'p' }], users: [user({ password: 'sup3r-s3cret', roles: [{ project: 'ghost', role: 'member' }] })] }, 'f.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ghost/);
    expect(message).not.toMatch(/sup3r-s3cret/);
  });
});
