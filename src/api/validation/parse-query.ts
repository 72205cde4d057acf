import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** Parses query parameters with a zod schema; a bad one is a 400 naming each parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new BadRequestException(parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
}
