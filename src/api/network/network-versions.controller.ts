import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import { NETWORK_EXTENSIONS, networkV20Document, networkVersionsDocument } from './network-versions.js';

/** Network version discovery, no token needed (Neutron's root); the slashed forms are registered by NetworkApiModule. */
@Public()
@Controller()
export class NetworkVersionsController {
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.base = publicUrl(config);
  }

  @Get('network')
  versions() {
    return networkVersionsDocument(this.base);
  }
}

/** GET /v2.0 and the extensions (with a token, as Neutron). */
@Controller('network/v2.0')
export class NetworkResourcesController {
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.base = publicUrl(config);
  }

  @Get()
  resources() {
    return networkV20Document(this.base);
  }

  @Get('extensions')
  extensions() {
    return { extensions: NETWORK_EXTENSIONS };
  }

  @Get('extensions/:alias')
  extension(@Param('alias') alias: string) {
    const found = NETWORK_EXTENSIONS.find((e) => e.alias === alias);
    if (!found) throw new NotFoundException(`Extension with alias ${alias} does not exist`);
    return { extension: found };
  }
}
