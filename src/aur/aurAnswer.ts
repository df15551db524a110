// answerAur: one AUR RPC request, in any of its forms, answered from the
// snapshot's AUR view — aurweb's RPC.handle (aurweb/rpc.py) step by step:
// the same checks in the same order, the same error strings (sent with
// HTTP 200, as aurweb does), the same result shapes. The answer's JSON is
// joined from records serialised once per snapshot, and it comes with the
// normalised request it is a pure function of, for the ETag.

import type { AurCatalog, AurEntry } from './aurCatalog.js';
import { AUR_ERRORS, aurErrorEnvelope } from './aurErrors.js';
import { AUR_SUGGEST_LIMIT } from './aurQuery.js';
import { isAurSearchBy, searchAur, suggestAur } from './aurSearch.js';

export interface AurRequest {
  /** null when the client sent none. */
  readonly version: number | null;
  readonly type: string | undefined;
  /** Defaults to `name-desc`, aurweb's RPC_SEARCH_BY. */
  readonly by: string | undefined;
  readonly args: readonly string[];
}

export interface AurAnswer {
  readonly json: string;
  /** Everything the JSON depends on besides the snapshot. */
  readonly key: string;
}

/** aurweb's RPC.EXPOSED_TYPES. */
const TYPES: ReadonlySet<string> = new Set(['info', 'multiinfo', 'search', 'msearch', 'suggest', 'suggest-pkgbase']);
export const DEFAULT_BY = 'name-desc';

export function answerAur(catalog: AurCatalog, request: AurRequest, maxResults: number): AurAnswer {
  const { version, args } = request;
  const by = request.by ?? DEFAULT_BY;
  const fail = (message: string): AurAnswer => ({ json: JSON.stringify(aurErrorEnvelope(version, message)), key: `error\0${version}\0${message}` });
  if (version === null) return fail(AUR_ERRORS.noVersion);
  if (version !== 5) return fail(AUR_ERRORS.invalidVersion);
  if (!isAurSearchBy(by)) return fail(AUR_ERRORS.incorrectBy);
  if (request.type === undefined) return fail(AUR_ERRORS.noTypeOrData);
  if (!TYPES.has(request.type)) return fail(AUR_ERRORS.incorrectType);

  switch (request.type) {
    case 'info':
    case 'multiinfo': {
      if (args.length === 0) return fail(AUR_ERRORS.noTypeOrData);
      const names = [...new Set(args.map((arg) => arg.toLowerCase()))].sort();
      const found = names.map((name) => catalog.byName.get(name)).filter((entry): entry is AurEntry => entry !== undefined);
      if (found.length > maxResults) return fail(AUR_ERRORS.tooManyResults);
      found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return { json: envelope('multiinfo', found.map((entry) => entry.infoJson)), key: `multiinfo\0${names.join('\0')}` };
    }
    case 'search':
    case 'msearch': {
      const searchBy = request.type === 'msearch' ? 'maintainer' : by;
      // Only a maintainer search may go without an argument: it then lists the orphans.
      if (searchBy !== 'maintainer' && args.length === 0) return fail(AUR_ERRORS.noTypeOrData);
      const arg = args[0] ?? '';
      // Python's len() counts code points.
      if (searchBy !== 'maintainer' && [...arg].length < 2) return fail(AUR_ERRORS.argTooSmall);
      const found = searchAur(catalog, searchBy, arg);
      if (found.length > maxResults) return fail(AUR_ERRORS.tooManyResults);
      return { json: envelope('search', found.map((entry) => entry.searchJson)), key: `search\0${searchBy}\0${arg.toLowerCase()}` };
    }
    default: {
      // suggest and suggest-pkgbase answer a bare list, also without an argument (then an empty one).
      const pkgbase = request.type === 'suggest-pkgbase';
      const arg = args[0];
      const names = arg === undefined ? [] : suggestAur(pkgbase ? catalog.pkgbases : catalog.names, arg, AUR_SUGGEST_LIMIT);
      return { json: JSON.stringify(names), key: `${request.type}\0${arg === undefined ? '' : `=${arg.toLowerCase()}`}` };
    }
  }
}

/** `{"resultcount","results","type","version"}`, keys sorted as aurweb writes them. */
function envelope(type: string, results: readonly string[]): string {
  return `{"resultcount":${results.length},"results":[${results.join(',')}],"type":${JSON.stringify(type)},"version":5}`;
}
