import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';

export interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The page's own start-up script: Swagger UI over the document, relative to /docs so a path prefix works. */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
`;

/** The only files served under /docs/assets: what the page loads, from swagger-ui-dist, and nothing else. */
const DIST_FILES: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

export const DOCS_INIT_SCRIPT = 'docs-init.js';

/** Reads each asset once, on first use (the bundle is over a megabyte; most processes never serve it). */
export class SwaggerUiAssets {
  private readonly cache = new Map<string, Promise<Asset>>();

  constructor(private readonly distDir: string = getAbsoluteFSPath()) {}

  static readonly names: readonly string[] = [...Object.keys(DIST_FILES), DOCS_INIT_SCRIPT];

  /** The asset, or undefined when the name is not one of the page's files. */
  get(name: string): Promise<Asset> | undefined {
    if (name === DOCS_INIT_SCRIPT) return Promise.resolve({ body: Buffer.from(INIT_SCRIPT), contentType: 'application/javascript; charset=utf-8' });
    const contentType = Object.hasOwn(DIST_FILES, name) ? DIST_FILES[name] : undefined;
    if (!contentType) return undefined;
    let asset = this.cache.get(name);
    if (!asset) {
      asset = readFile(join(this.distDir, name)).then((body) => ({ body, contentType }));
      // A failed read is not kept: the next request tries again.
      asset.catch(() => this.cache.delete(name));
      this.cache.set(name, asset);
    }
    return asset;
  }
}
