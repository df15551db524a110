// Reads fixture files straight from disk: the independent oracle that API
// answers are compared with.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_FIXTURES } from './catalogApp.js';

export function fixtureFile(id: string, file: string): Buffer {
  return readFileSync(path.join(CATALOG_FIXTURES, id, file));
}

export function fixtureMetadata(id: string): Record<string, unknown> {
  return JSON.parse(fixtureFile(id, 'metadata.json').toString('utf8')) as Record<string, unknown>;
}

/** `[epoch:]pkgver-pkgrel` from the pkgbase section, read with a plain line scan. */
export function fixtureVersion(id: string): string {
  const lines = fixtureFile(id, '.SRCINFO').toString('utf8').split('\n');
  const value = (key: string): string | undefined =>
    lines.find((line) => line.trim().startsWith(`${key} = `))?.trim().slice(key.length + 3);
  const epoch = value('epoch');
  return `${epoch !== undefined && epoch !== '0' ? `${epoch}:` : ''}${value('pkgver')}-${value('pkgrel')}`;
}
