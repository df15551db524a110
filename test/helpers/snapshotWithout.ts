// snapshotWithout: a snapshot of the same branches, tips and default branch
// (so the same snapshot id) that serves every worker but the named ones —
// what a restart serves after it forgot the last good version behind a
// rejected tip. ETags of whole-catalog answers must tell the two apart.

import assert from 'node:assert/strict';
import { assembleSnapshot } from '../../src/catalog/assembleSnapshot.js';
import type { CatalogSnapshot } from '../../src/catalog/snapshot.js';

export function snapshotWithout(snapshot: CatalogSnapshot, ids: readonly string[]): CatalogSnapshot {
  for (const id of ids) assert.ok(snapshot.workers.has(id), `${id} is served to begin with`);
  const workers = new Map([...snapshot.workers].filter(([id]) => !ids.includes(id)));
  const fewer = assembleSnapshot({ builtAt: snapshot.builtAt, defaultBranch: snapshot.defaultBranch, branches: snapshot.branches, workers });
  assert.equal(fewer.id, snapshot.id, 'equal branch tips, equal snapshot id');
  return fewer;
}
