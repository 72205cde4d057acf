import { z } from 'zod';

/** `{"lock": null}` or, from 2.73, `{"lock": {"locked_reason": "..."}}`. */
export const lockActionSchema = z.strictObject({
  locked_reason: z.string().min(1).max(255).optional(),
});
