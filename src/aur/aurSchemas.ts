// JSON Schemas of the AUR RPC routes: the arguments each form accepts
// (bounded before anything reads them) and the answers, for /openapi.json.
// Answers are sent as prebuilt bytes, so the response schemas document them
// and never serialise them.

import { AUR_ARG_MAX_LENGTH, AUR_MAX_RESULTS } from './aurQuery.js';
import { AUR_SEARCH_BYS } from './aurSearch.js';

const argValue = { type: 'string', maxLength: AUR_ARG_MAX_LENGTH } as const;
const argList = { type: 'array', maxItems: AUR_MAX_RESULTS, items: argValue, description: 'Package names; repeatable.' } as const;
/** `arg` once (a string) or repeated (a list); the routes read which one counts as aurweb does. */
const argOrArgs = { anyOf: [argValue, argList], description: 'A package name or search term.' } as const;
const version = { type: 'string', pattern: '^-?[0-9]{1,9}$', description: 'The RPC version; only 5 is answered.' } as const;
const by = { type: 'string', maxLength: 32, description: `The field to search: ${AUR_SEARCH_BYS.join(', ')} (default name-desc).` } as const;
const type = { type: 'string', maxLength: 32, description: 'info (= multiinfo), search, msearch, suggest or suggest-pkgbase.' } as const;
// Long enough to reach aurweb's own check (1-128 of [a-zA-Z0-9()_.]), which answers "Invalid callback name.".
const callback = { type: 'string', maxLength: 1024, description: 'JSONP: wrap the answer as /**/callback(…) (text/javascript).' } as const;

/** The query of /rpc and the fields of its POST body (form or JSON). */
export const legacyFields = {
  type: 'object',
  properties: { v: version, type, by, arg: argOrArgs, 'arg[]': argList, callback },
} as const;

export const versionParams = {
  type: 'object',
  required: ['version'],
  properties: { version: { type: 'string', pattern: '^[0-9]{1,9}$' } },
} as const;

export const nameParams = {
  type: 'object',
  required: ['version', 'name'],
  properties: { version: versionParams.properties.version, name: { type: 'string', minLength: 1, maxLength: AUR_ARG_MAX_LENGTH } },
} as const;

export const argParams = {
  type: 'object',
  required: ['version', 'arg'],
  properties: { version: versionParams.properties.version, arg: { type: 'string', minLength: 1, maxLength: AUR_ARG_MAX_LENGTH } },
} as const;

export const infoQuery = { type: 'object', properties: { arg: argOrArgs, 'arg[]': argList } } as const;
export const searchQuery = { type: 'object', properties: { arg: argOrArgs, by } } as const;
export const byQuery = { type: 'object', properties: { by } } as const;
export const infoBody = { type: 'object', properties: { arg: argList, 'arg[]': argList } } as const;
export const searchBody = { type: 'object', properties: { arg: argValue, by } } as const;

const nullableString = { type: ['string', 'null'] } as const;
const stringList = { type: 'array', items: { type: 'string' } } as const;
const searchRecord = {
  ID: { type: 'integer', description: 'Stable: derived from the name (see src/aur/aurIds.ts).' },
  Name: { type: 'string' },
  PackageBaseID: { type: 'integer' },
  PackageBase: { type: 'string' },
  Version: { type: 'string' },
  Description: nullableString,
  URL: nullableString,
  NumVotes: { type: 'integer' },
  Popularity: { type: 'number' },
  OutOfDate: { type: ['integer', 'null'] },
  Maintainer: nullableString,
  FirstSubmitted: { type: 'integer' },
  LastModified: { type: 'integer', description: 'Commit time, epoch seconds.' },
  URLPath: { type: 'string', description: 'The snapshot tarball.' },
} as const;
const infoOnly = {
  Submitter: nullableString,
  Depends: stringList,
  MakeDepends: stringList,
  OptDepends: stringList,
  CheckDepends: stringList,
  Conflicts: stringList,
  Provides: stringList,
  Replaces: stringList,
  Groups: stringList,
  License: stringList,
  Keywords: stringList,
  CoMaintainers: stringList,
  PendingRequests: { type: 'integer' },
} as const;

/** `{"resultcount","results","type","version"}`, plus `error` when `type` is `error`. */
const envelope = {
  type: 'object',
  required: ['resultcount', 'results', 'type', 'version'],
  properties: {
    error: { type: 'string', description: "aurweb's own message, e.g. \"Query arg too small.\"" },
    resultcount: { type: 'integer' },
    results: { type: 'array', items: { type: 'object', properties: { ...searchRecord, ...infoOnly } } },
    type: { type: 'string', enum: ['multiinfo', 'search', 'error'] },
    version: { type: ['integer', 'null'] },
  },
} as const;
const suggestions = { type: 'array', maxItems: 20, items: { type: 'string' }, description: 'Names starting with the argument, in order.' } as const;

const errorAnswer = (description: string) => ({ description, ...envelope });

/** What every AUR RPC route may answer besides its 200. */
export const aurErrorResponses = {
  400: errorAnswer('The request is invalid (the AUR envelope with type "error")'),
  503: errorAnswer('The catalog is still being indexed'),
} as const;

export const envelopeResponse = { 200: { description: 'The AUR RPC v5 envelope', ...envelope }, ...aurErrorResponses } as const;
export const suggestResponse = { 200: { description: 'A bare list of names, or the error envelope', anyOf: [suggestions, envelope] }, ...aurErrorResponses } as const;
export const anyResponse = { 200: { description: 'The envelope, or a bare list for suggest types', anyOf: [envelope, suggestions] }, ...aurErrorResponses } as const;
