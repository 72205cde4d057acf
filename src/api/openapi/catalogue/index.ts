import type { Catalogue } from '../operation-doc.js';
import { computeInterfacesCatalogue } from './compute-interfaces.catalogue.js';
import { computeMigrationsCatalogue } from './compute-migrations.catalogue.js';
import { computeResourcesCatalogue } from './compute-resources.catalogue.js';
import { computeServersCatalogue } from './compute-servers.catalogue.js';
import { identityCatalogue } from './identity.catalogue.js';
import { imageCatalogue } from './image.catalogue.js';
import { networkCatalogue } from './network.catalogue.js';
import { operationsCatalogue } from './operations.catalogue.js';

const PARTS: readonly Catalogue[] = [
  identityCatalogue,
  computeServersCatalogue,
  computeMigrationsCatalogue,
  computeInterfacesCatalogue,
  computeResourcesCatalogue,
  imageCatalogue,
  networkCatalogue,
  operationsCatalogue,
];

/**
 * Every documented route by `METHOD /path`; a key in two parts is a mistake, caught at load. A new
 * route needs an entry in its area's file: test/integration/api/openapi.test.ts fails until it has one.
 */
export const API_CATALOGUE: Catalogue = mergeCatalogues(PARTS);

export function mergeCatalogues(parts: readonly Catalogue[]): Catalogue {
  const all: Record<string, Catalogue[string]> = {};
  for (const part of parts) {
    for (const [key, doc] of Object.entries(part)) {
      if (key in all) throw new Error(`The API catalogue documents ${key} twice.`);
      all[key] = doc;
    }
  }
  return all;
}
