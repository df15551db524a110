// The AUR RPC's error strings and its error envelope, exactly as aurweb
// sends them (archlinux/aurweb: aurweb/rpc.py RPC.error/_verify_inputs/
// _handle_*_type, aurweb/routers/rpc.py rpc_request and the POST routes).
// AUR tooling matches on these strings, so they are data, not prose.

export const AUR_ERRORS = {
  noVersion: 'Please specify an API version.',
  invalidVersion: 'Invalid version specified.',
  incorrectBy: 'Incorrect by field specified.',
  noTypeOrData: 'No request type/data specified.',
  incorrectType: 'Incorrect request type specified.',
  argTooSmall: 'Query arg too small.',
  tooManyResults: 'Too many package results.',
  invalidCallback: 'Invalid callback name.',
  argMustBeArray: "the 'arg' parameter must be of array type",
  argMustBeString: "the 'arg' parameter must be of string type",
  byMustBeString: "the 'by' parameter must be of string type",
} as const;

/** aurweb's RPC.error(): every error answer has these five keys (sorted, as aurweb's orjson OPT_SORT_KEYS writes them). */
export interface AurErrorEnvelope {
  readonly error: string;
  readonly resultcount: 0;
  readonly results: readonly [];
  readonly type: 'error';
  readonly version: number | null;
}

export function aurErrorEnvelope(version: number | null, message: string): AurErrorEnvelope {
  return { error: message, resultcount: 0, results: [], type: 'error', version };
}

/**
 * An error answered with an HTTP status other than 200 (aurweb answers most
 * RPC errors with 200 and the envelope; a few, like a non-array `arg` in a
 * JSON body, with 400).
 */
export class AurRpcError extends Error {
  readonly statusCode: number;
  readonly version: number | null;

  constructor(statusCode: number, message: string, version: number | null) {
    super(message);
    this.name = 'AurRpcError';
    this.statusCode = statusCode;
    this.version = version;
  }
}
