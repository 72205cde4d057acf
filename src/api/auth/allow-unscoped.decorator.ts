import { SetMetadata } from '@nestjs/common';

export const ALLOWS_UNSCOPED = 'virtplane:allows-unscoped';

/**
 * The route accepts an unscoped token (Keystone's own token and project listing calls, which a client
 * makes before it has chosen a project). Everything else needs a project-scoped token.
 */
export const AllowUnscoped = () => SetMetadata(ALLOWS_UNSCOPED, true);
