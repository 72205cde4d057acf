import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { publicUrl } from '../auth/public-url.js';
import { versionDocument, versionsDocument } from './version-documents.js';

/**
 * Keystone's version links end in a slash (`.../identity/v3/`) and clients follow them as given, but
 * Nest drops a route's trailing slash and Fastify matches it strictly; so the slashed forms of the
 * discovery documents are added on Fastify directly. They are public, like their unslashed twins.
 */
@Injectable()
export class TrailingSlashDiscovery implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify || typeof fastify.get !== 'function') return;
    const base = publicUrl(this.config);
    fastify.get('/identity/', (_, reply) => void reply.status(300).send(versionsDocument(base)));
    fastify.get('/identity/v3/', (_, reply) => void reply.send(versionDocument(base)));
  }
}
