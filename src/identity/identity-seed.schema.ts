import { z } from 'zod';
import { ROLE_NAMES } from './role-name.js';

const name = z.string().trim().min(1).max(255);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, dashes or underscores');

/**
 * The identity file (IDENTITY_FILE): domains, projects, users and their role assignments. Names refer
 * to each other within a domain (a project or user without `domain` is in `default`); ids are
 * optional and derived from the names when missing, so they stay the same across restarts.
 */
export const identitySeedSchema = z
  .object({
    domains: z
      .array(z.object({ id, name, description: z.string().optional() }).strict())
      .default([{ id: 'default', name: 'Default' }]),
    projects: z
      .array(
        z
          .object({ id: id.optional(), name, domain: id.default('default'), description: z.string().optional(), enabled: z.boolean().default(true) })
          .strict(),
      )
      .min(1),
    users: z
      .array(
        z
          .object({
            id: id.optional(),
            name,
            domain: id.default('default'),
            /** Clear text here, hashed at load; keep the file readable by the service only. */
            password: z.string().min(1),
            email: z.string().optional(),
            enabled: z.boolean().default(true),
            /** The project an unscoped request is scoped to, as Keystone's default_project_id. */
            default_project: name.optional(),
            roles: z
              .array(z.object({ project: name, project_domain: id.optional(), role: z.enum(ROLE_NAMES) }).strict())
              .default([]),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type IdentitySeed = z.input<typeof identitySeedSchema>;
export type ParsedIdentitySeed = z.output<typeof identitySeedSchema>;
