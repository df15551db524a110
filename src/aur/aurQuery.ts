// The AUR RPC's argument forms: `arg` and `arg[]` in a query string with
// aurweb's legacy precedence (aurweb/routers/rpc.py parse_args), the
// version number, and the bounds every form shares.

/** A package name is at most 255 characters in the AUR; a search term needs no more. */
export const AUR_ARG_MAX_LENGTH = 256;
/** aurweb's max_rpc_results default (conf/config.defaults); more matches is "Too many package results.". */
export const AUR_MAX_RESULTS = 5000;
/** aurweb's suggest LIMIT. */
export const AUR_SUGGEST_LIMIT = 20;
/** aurweb's JSONP_EXPR (aurweb/routers/rpc.py). */
export const JSONP_CALLBACK = /^[a-zA-Z0-9()_.]{1,128}$/;

/**
 * The arguments of a raw query string, read as aurweb does: when the last
 * `arg`/`arg[]` key is `arg`, its value alone; when it is `arg[]`, the
 * trailing run of `arg[]` values, last first. Values are percent-decoded
 * but `+` stays `+` (aurweb unquotes, it does not form-decode), so
 * `arg=libc++` means `libc++`.
 */
export function legacyArgs(rawQuery: string): string[] {
  const parts: Array<readonly [string, string]> = [];
  for (const part of rawQuery.split('&')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    const key = percentDecode(part.slice(0, separator));
    if (key === 'arg' || key === 'arg[]') parts.push([key, percentDecode(part.slice(separator + 1))]);
  }
  parts.reverse();
  const last = parts[0];
  if (last === undefined) return [];
  if (last[0] === 'arg') return [last[1]];
  const args: string[] = [];
  for (const [key, value] of parts) {
    if (key !== 'arg[]') break;
    args.push(value);
  }
  return args;
}

/** The query string of a request URL, without the `?`. */
export function rawQueryOf(url: string): string {
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}

/** `v` as aurweb's `Optional[int]`: absent is null; the schema already refused what is not an integer. */
export function versionOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const version = Number.parseInt(value, 10);
  return Number.isSafeInteger(version) ? version : null;
}

/** Like Python's unquote: a malformed escape stays as written instead of failing the request. */
function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : escape;
    });
  }
}
