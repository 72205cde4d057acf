import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrl } from '../auth/public-url.js';
import { API_CATALOGUE } from './catalogue/index.js';
import { docsPage } from './docs-page.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document.js';
import { packageVersion } from './package-version.js';
import { RouteTable } from './route-table.js';
import { SwaggerUiAssets } from './swagger-ui-assets.js';

/** The API's own description and a page to browse it; public, like version discovery. */
@Public()
@Controller()
export class OpenApiController {
  private document: OpenApiDocument | undefined;
  private readonly assets = new SwaggerUiAssets();

  constructor(
    private readonly routes: RouteTable,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('openapi.json')
  openApi(): OpenApiDocument {
    // Built on first request: by then every module has registered its controllers.
    this.document ??= buildOpenApiDocument({
      routes: this.routes.all(),
      catalogue: API_CATALOGUE,
      version: packageVersion(),
      serverUrl: publicUrl(this.config),
    });
    return this.document;
  }

  @Get('docs')
  docs(@Res() reply: FastifyReply): void {
    void reply.type('text/html; charset=utf-8').send(docsPage('virtplane API'));
  }

  @Get('docs/assets/:file')
  async asset(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const found = this.assets.get(file);
    if (!found) throw new NotFoundException(`No documentation asset ${file}.`);
    const { body, contentType } = await found;
    void reply.type(contentType).header('cache-control', 'public, max-age=3600').send(body);
  }
}
