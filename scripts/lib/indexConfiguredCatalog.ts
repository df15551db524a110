// indexConfiguredCatalog: opens the configured repository and indexes it
// exactly as `npm start` does (the same openConfiguredRepository, the same
// buildSnapshot), for the scripts that must write what the service answers
// (generate-catalog, export-static).

import type { Logger } from 'pino';
import { buildSnapshot } from '../../src/catalog/buildSnapshot.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';
import type { Config } from '../../src/config.js';
import type { CatalogRepository } from '../../src/git/types.js';
import { openConfiguredRepository } from '../../src/openConfiguredRepository.js';

export interface IndexedCatalog {
  readonly repo: CatalogRepository;
  /** The clone URL the service would advertise. */
  readonly gitUrl: string;
  readonly snapshot: CatalogSnapshot;
}

export async function indexConfiguredCatalog(config: Config, logger: Logger): Promise<IndexedCatalog> {
  const { repo, gitUrl } = await openConfiguredRepository(config, logger);
  const snapshot = await buildSnapshot({ repo, gitUrl });
  return { repo, gitUrl, snapshot };
}
