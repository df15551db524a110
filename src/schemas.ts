// The JSON Schemas in schemas/, compiled once with Ajv for draft 2020-12.

import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Resolved from this file so it works from src/ (tsx) and from dist/ (compiled) alike.
const SCHEMA_DIR = new URL('../schemas/', import.meta.url);

const compiled = new Map<string, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** Returns the validator of `schemas/<name>.schema.json`, compiling it on first use. */
export function schemaValidator<T>(name: string): ValidateFunction<T> {
  let validate = compiled.get(name);
  if (validate === undefined) {
    ajv ??= createAjv();
    const schema: unknown = JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8'));
    validate = ajv.compile(schema as object);
    compiled.set(name, validate);
  }
  return validate as ValidateFunction<T>;
}

function createAjv(): Ajv2020 {
  const instance = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(instance);
  return instance;
}
