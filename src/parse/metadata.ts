// parseMetadata: metadata.json text → the worker's catalog fields, checked
// against schemas/metadata.schema.json. Pure: text in, { value, problems } out.

import type { ErrorObject } from 'ajv';
import { parse as parseJsonTolerantly, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Problem } from '../catalog/problem.js';
import { schemaValidator } from '../schemas.js';

export type Platform = 'linux' | 'macos' | 'windows';
export type Architecture = 'x86_64' | 'aarch64';
export type WorkerType = 'cpu' | 'cuda' | 'metal' | 'rocm';

/** metadata.json as schemas/metadata.schema.json defines it. */
export interface WorkerMetadata {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly implementation?: string;
  readonly worker_type: WorkerType;
  readonly platforms: readonly Platform[];
  readonly architectures: readonly Architecture[];
  readonly license: string;
  readonly homepage?: string;
  readonly tags?: readonly string[];
  readonly maintainers?: readonly string[];
  readonly capabilities?: {
    readonly supported_formats?: readonly string[];
    readonly max_context_length?: number;
    readonly supports_streaming?: boolean;
    readonly supports_batching?: boolean;
  };
  readonly requires_license?: boolean;
  readonly license_url?: string;
  readonly pricing?: {
    readonly model: 'free' | 'one_time' | 'subscription';
    readonly price_usd?: number;
    readonly interval?: 'month' | 'year';
  };
}

const FILE = 'metadata.json';

export function parseMetadata(text: string): { value: WorkerMetadata | undefined; problems: Problem[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { line, detail } = lineOfJsonError(text);
    return {
      value: undefined,
      problems: [{
        code: 'METADATA_INVALID_JSON',
        severity: 'error',
        file: FILE,
        ...(line === undefined ? {} : { line }),
        message: line === undefined
          ? `metadata.json is not valid JSON: ${message}`
          : `metadata.json is not valid JSON: ${detail} at line ${line}`,
      }],
    };
  }
  const validate = schemaValidator<WorkerMetadata>('metadata');
  if (validate(json)) return { value: json, problems: [] };
  return { value: undefined, problems: (validate.errors ?? []).map(schemaProblem) };
}

function schemaProblem(error: ErrorObject): Problem {
  const where = error.instancePath === '' ? 'metadata.json' : `metadata.json${error.instancePath}`;
  const allowed = error.keyword === 'enum' ? ` (allowed: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  const extra = error.keyword === 'additionalProperties'
    ? ` ('${String((error.params as { additionalProperty: unknown }).additionalProperty)}')`
    : '';
  return {
    code: 'METADATA_SCHEMA',
    severity: 'error',
    file: FILE,
    message: `${where} ${error.message ?? 'is invalid'}${allowed}${extra}`,
  };
}

/**
 * V8's JSON.parse messages carry no position for most errors on Node 20, so
 * jsonc-parser (strict: no comments, no trailing commas) locates the first one.
 */
function lineOfJsonError(text: string): { line?: number; detail?: string } {
  const errors: ParseError[] = [];
  parseJsonTolerantly(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return {};
  let line = 1;
  for (let index = 0; index < first.offset && index < text.length; index += 1) if (text.charCodeAt(index) === 10) line += 1;
  return { line, detail: printParseErrorCode(first.error) };
}
