import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'virtplane:public';

/** The route answers without a token (version discovery, login, probes). On a controller: every route in it. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
