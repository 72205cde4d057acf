import { ForbiddenException } from '@nestjs/common';

/** Nova's and Keystone's policy refusal, word for word, so clients print it as they always have. */
export class PolicyNotAuthorizedError extends ForbiddenException {
  constructor(readonly action: string) {
    super(`Policy doesn't allow ${action} to be performed.`);
    this.name = 'PolicyNotAuthorizedError';
  }
}
