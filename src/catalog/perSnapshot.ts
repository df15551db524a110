// perSnapshot: a view of the catalog computed from a snapshot on first use
// and kept exactly as long as that snapshot lives. Each feature (search
// index, whole-catalog files, AUR records, …) declares its own view in its
// own file, so the snapshot type does not grow with every feature, and a
// refresh pays nothing for views nobody asks for.

import { perObject } from './perObject.js';
import type { CatalogSnapshot } from './snapshot.js';

export function perSnapshot<T>(build: (snapshot: CatalogSnapshot) => T): (snapshot: CatalogSnapshot) => T {
  return perObject(build);
}
