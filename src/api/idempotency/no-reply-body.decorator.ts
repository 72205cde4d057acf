import { SetMetadata } from '@nestjs/common';

export const NO_REPLY_BODY = 'virtplane:no-reply-body';

/**
 * Marks a write whose success is its status alone (actions, deletes). If the service died after
 * such a request took effect but before its reply was stored, a retry can still be answered
 * exactly: the audit log shows the effect and the reply carries nothing else.
 */
export const NoReplyBody = () => SetMetadata(NO_REPLY_BODY, true);

export const SECRET_IN_REPLY = 'virtplane:secret-in-reply';

/**
 * Marks a write whose reply carries a secret shown once (a generated private key): its reply is
 * never stored for replay, so a retry meets the resource the first attempt made (Nova's 409).
 */
export const SecretInReply = () => SetMetadata(SECRET_IN_REPLY, true);
