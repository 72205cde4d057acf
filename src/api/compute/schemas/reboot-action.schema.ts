import { z } from 'zod';

/** `{"reboot": {"type": "SOFT" | "HARD"}}`, in any of the spellings Nova's schema lists. */
export const rebootActionSchema = z.strictObject({
  type: z.enum(['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft']).transform((t) => t.toUpperCase() as 'HARD' | 'SOFT'),
});
