import { readFileSync } from 'node:fs';
import type { AppConfig } from '../../config/config.schema.js';
import { defaultIdentitySeed } from '../../identity/default-identity-seed.js';
import { IdentityDirectory } from '../../identity/identity-directory.js';
import { InvalidIdentityFileError } from '../../identity/invalid-identity-file.error.js';

/** IDENTITY_FILE when set, else the built-in admin/demo layout with the configured passwords. */
export function loadIdentityDirectory(config: AppConfig): IdentityDirectory {
  if (config.IDENTITY_FILE === undefined) {
    return IdentityDirectory.fromSeed(
      defaultIdentitySeed({ admin: config.ADMIN_PASSWORD, demo: config.DEMO_PASSWORD }),
      'built-in identity seed',
    );
  }
  let text: string;
  try {
    text = readFileSync(config.IDENTITY_FILE, 'utf8');
  } catch (error) {
    throw new InvalidIdentityFileError(config.IDENTITY_FILE, [`cannot be read: ${(error as Error).message}`]);
  }
  return IdentityDirectory.fromJson(text, config.IDENTITY_FILE);
}
