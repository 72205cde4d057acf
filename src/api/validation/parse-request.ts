import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Nova's words for keys its schema does not know. */
function additionalProperties(keys: readonly string[]): string {
  return `Additional properties are not allowed (${keys.map((k) => `'${k}'`).join(', ')} ${keys.length === 1 ? 'was' : 'were'} unexpected)`;
}

/** One zod issue in the words Nova's JSON-schema validation uses. */
function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('/');
  if (issue.code === 'unrecognized_keys') return `${additionalProperties(issue.keys)}${where ? ` in ${where}` : ''}`;
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    return `'${String(issue.path[issue.path.length - 1] ?? 'body')}' is a required property`;
  }
  return `Invalid input for field/attribute ${where || 'body'}. ${issue.message}`;
}

/** Parses a request body with a zod schema; a mismatch is Nova's 400 naming each problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException('The request body must be a JSON object.');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new BadRequestException(parsed.error.issues.map(describe).join('; '));
}

/** Query parameters: the same words, for parameters. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequestException(
    parsed.error.issues
      .map((i) =>
        i.code === 'unrecognized_keys'
          ? additionalProperties(i.keys)
          : `Invalid input for query parameters ${i.path.map(String).join('/')}. ${i.message}`,
      )
      .join('; '),
  );
}
