import { Controller, Get, HttpCode, HttpStatus, Inject, UseFilters } from '@nestjs/common';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import { KeystoneExceptionFilter } from './keystone-exception.filter.js';
import { versionDocument, versionsDocument } from './version-documents.js';

/** Where clients start: which identity versions exist and where (no token needed). */
@Public()
@Controller()
@UseFilters(KeystoneExceptionFilter)
export class VersionDiscoveryController {
  private readonly publicUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.publicUrl = publicUrl(config);
  }

  @Get()
  @HttpCode(HttpStatus.AMBIGUOUS)
  root() {
    return versionsDocument(this.publicUrl);
  }

  @Get('identity')
  @HttpCode(HttpStatus.AMBIGUOUS)
  identity() {
    return versionsDocument(this.publicUrl);
  }

  @Get('identity/v3')
  v3() {
    return versionDocument(this.publicUrl);
  }
}
