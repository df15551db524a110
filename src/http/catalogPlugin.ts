// catalogPlugin: makes the catalog store and the cache policy available to
// every route as `app.catalog`, and gives routes one way to get the current
// snapshot (or answer 503 before the first index exists).

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CatalogStore } from '../catalog/catalogStore.js';
import type { CatalogSnapshot } from '../catalog/snapshot.js';
import { catalogNotReady } from './httpError.js';

export interface CatalogAccess {
  readonly store: CatalogStore;
  readonly cacheMaxAgeSeconds: number;
  /** The snapshot to answer from; throws a 503 HttpError while none exists. */
  snapshot(): CatalogSnapshot;
}

declare module 'fastify' {
  interface FastifyInstance {
    catalog: CatalogAccess;
  }
}

export const catalogPlugin = fp(
  async (app: FastifyInstance, options: { store: CatalogStore; cacheMaxAgeSeconds: number }) => {
    const { store, cacheMaxAgeSeconds } = options;
    app.decorate('catalog', {
      store,
      cacheMaxAgeSeconds,
      snapshot(): CatalogSnapshot {
        const current = store.current;
        if (current === undefined) throw catalogNotReady();
        return current;
      },
    });
  },
  { name: 'catalog' },
);
