import { z } from 'zod';

/** PUT /servers/{id}: the name (Nova's description, access IPs, disk config and hostname are not kept here yet). */
export const updateServerSchema = z.strictObject({
  server: z.strictObject({
    name: z
      .string()
      .min(1, 'Value must be 1 to 255 characters long.')
      .max(255, 'Value must be 1 to 255 characters long.')
      .refine((v) => v.trim() === v, 'Leading and trailing spaces are not allowed.')
      .optional(),
  }),
});
