import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import { computeV20Document, computeV21Document, computeVersionsDocument } from './compute-versions.js';

/**
 * Compute version discovery, no token needed (as Nova). Nest drops a route's trailing slash, so the
 * slashed forms (which the documents link to) are registered on Fastify by ComputeModule.
 */
@Public()
@Controller()
export class ComputeVersionsController {
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.base = publicUrl(config);
  }

  @Get('compute')
  versions() {
    return computeVersionsDocument(this.base);
  }

  @Get('compute/v2.1')
  v21() {
    return computeV21Document(this.base);
  }

  @Get('compute/v2')
  v20() {
    return computeV20Document(this.base);
  }
}
