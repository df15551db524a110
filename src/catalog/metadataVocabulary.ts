// metadataVocabulary: the platforms, architectures and backends a worker may
// declare, read from schemas/metadata.schema.json itself, so a query's
// allowed values cannot drift from what metadata.json may say.

import { schemaValidator } from '../schemas.js';

export interface MetadataVocabulary {
  readonly platforms: readonly string[];
  readonly architectures: readonly string[];
  readonly backends: readonly string[];
}

interface EnumSchema {
  readonly enum?: readonly unknown[];
  readonly items?: EnumSchema;
}

let vocabulary: MetadataVocabulary | undefined;

export function metadataVocabulary(): MetadataVocabulary {
  vocabulary ??= readVocabulary();
  return vocabulary;
}

function readVocabulary(): MetadataVocabulary {
  const schema = schemaValidator('metadata').schema as { properties?: Record<string, EnumSchema> };
  const values = (property: string, schemaOf: (node: EnumSchema) => EnumSchema | undefined): readonly string[] => {
    const node = schema.properties?.[property];
    const list = node === undefined ? undefined : schemaOf(node)?.enum;
    if (list === undefined || !list.every((value): value is string => typeof value === 'string')) {
      throw new Error(`schemas/metadata.schema.json: ${property} must be an enum of strings`);
    }
    return list;
  };
  return Object.freeze({
    platforms: values('platforms', (node) => node.items),
    architectures: values('architectures', (node) => node.items),
    backends: values('worker_type', (node) => node),
  });
}
