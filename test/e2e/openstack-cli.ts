import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's python3-openstackclient puts the CLI; PATH is searched first. */
export function findOpenstackCli(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    try {
      accessSync(`${dir}/openstack`, constants.X_OK);
      return `${dir}/openstack`;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface CliCredentials {
  authUrl: string;
  user: string;
  password: string;
  project: string;
}

/**
 * Runs the real `openstack` CLI against the service, as a user would, and parses `-f json` output.
 * A failing command throws with the CLI's own stderr, which is what the test then shows.
 */
export async function openstack(cli: string, creds: CliCredentials, args: string[], options: { json?: boolean } = {}): Promise<unknown> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    OS_AUTH_URL: creds.authUrl,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: creds.user,
    OS_PASSWORD: creds.password,
    OS_PROJECT_NAME: creds.project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_REGION_NAME: 'RegionOne',
    OS_INTERFACE: 'public',
  };
  const json = options.json ?? true;
  try {
    const { stdout } = await run(cli, [...args, ...(json ? ['-f', 'json'] : [])], { env, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 });
    return json ? JSON.parse(jsonPart(stdout)) : stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`openstack ${args.join(' ')} failed: ${e.stderr?.trim() || e.stdout?.trim() || e.message}`);
  }
}

/**
 * `--wait` commands print their progress ("Progress: 50", "Complete") on stdout before the JSON
 * document; the document is what starts at the beginning of a line with { or [.
 */
function jsonPart(stdout: string): string {
  const start = stdout.search(/^[[{]/m);
  return start > 0 ? stdout.slice(start) : stdout;
}
