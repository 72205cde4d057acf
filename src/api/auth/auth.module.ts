import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { IdentityDirectory } from '../../identity/identity-directory.js';
import { TokenCodec } from '../../identity/token-codec.js';
import { AuthGuard } from './auth.guard.js';
import { loadIdentityDirectory } from './load-identity-directory.js';
import { resolveTokenSecret } from './token-secret.js';
import { TokenRevocations } from './token-revocations.js';
import { TokenService } from './token.service.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * A token's check is reused for 5 s: another process sharing the store sees a revocation within that
 * (this one at once), and one revoked-token query per token per 5 s is nothing next to the requests.
 * 10,000 tokens bound the memory (a few MB) whatever the number of clients.
 */
const TOKEN_CACHE = { maxEntries: 10_000, ttlMs: 5_000 };

/** Who may call: the identity directory, tokens, and the global guard that checks them on every route. */
@Module({
  providers: [
    { provide: IdentityDirectory, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadIdentityDirectory(config) },
    {
      provide: TokenService,
      inject: [APP_CONFIG, IdentityDirectory, READ_MODEL_DB],
      useFactory: (config: AppConfig, directory: IdentityDirectory, db: SqlDatabase) =>
        new TokenService(
          new TokenCodec(resolveTokenSecret(config.TOKEN_SECRET, config.DATA_DIR)),
          directory,
          new TokenRevocations(db),
          new VerifiedTokenCache(TOKEN_CACHE),
          config.TOKEN_TTL_SECONDS,
        ),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityDirectory, TokenService],
})
export class AuthModule {}
