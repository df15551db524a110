// bashParser: tree-sitter-bash (the standard bash grammar, compiled to wasm)
// through web-tree-sitter. Loaded once per process; a parse takes about a
// millisecond and never throws — the tree marks what it could not parse.

import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
let loading: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  await Parser.init();
  const bash = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  const parser = new Parser();
  parser.setLanguage(bash);
  return parser;
}

export async function parseBash(text: string): Promise<Tree> {
  loading ??= load();
  const tree = (await loading).parse(text);
  if (tree === null) throw new Error('tree-sitter returned no tree');
  return tree;
}
