// bashParser: a bash syntax tree for a PKGBUILD. The common subset is read by
// the hand-written fast parser (fastBashParser.ts), which builds the very
// tree tree-sitter would; anything else goes to tree-sitter-bash (the
// standard bash grammar, compiled to wasm) through web-tree-sitter, loaded
// once per process. A parse never throws — the tree marks what it could not
// parse.

import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import type { BashTree } from './bashSyntax.js';
import { parseBashFast } from './fastBashParser.js';

const require = createRequire(import.meta.url);
let loading: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  await Parser.init();
  const bash = await Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  const parser = new Parser();
  parser.setLanguage(bash);
  return parser;
}

export async function parseBash(text: string): Promise<BashTree> {
  return parseBashFast(text) ?? (await parseBashWithTreeSitter(text));
}

/** tree-sitter's own tree, whatever the fast parser could do (the reference its tests compare with). */
export async function parseBashWithTreeSitter(text: string): Promise<Tree> {
  loading ??= load();
  const tree = (await loading).parse(text);
  if (tree === null) throw new Error('tree-sitter returned no tree');
  return tree;
}
