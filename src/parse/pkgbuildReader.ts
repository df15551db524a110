// readPkgbuild: what makepkg would learn from sourcing a PKGBUILD, found
// without running it. Top-level assignments (also `+=`, arrays, several on
// one line) are evaluated in order; function definitions are noted; anything
// else at top level — a command, `if`, `case`, `export` — could change the
// variables in ways only running it shows, so the result is undecidable,
// naming the construct and its line. Never a guess.

import type { Node } from 'web-tree-sitter';
import { parseBash } from './bashParser.js';
import { arrayWords, scalarWord, Undecidable, type Scope, type Value } from './pkgbuildValues.js';

/** A function the PKGBUILD defines: where, and every variable name assigned anywhere in its body. */
export interface PkgbuildFunction {
  readonly line: number;
  readonly assigns: ReadonlySet<string>;
}

export type PkgbuildReading =
  | { readonly kind: 'decided'; readonly variables: ReadonlyMap<string, Value>; readonly functions: ReadonlyMap<string, PkgbuildFunction> }
  | { readonly kind: 'undecidable'; readonly reason: string; readonly line: number }
  | { readonly kind: 'syntax'; readonly line: number };

export async function readPkgbuild(text: string): Promise<PkgbuildReading> {
  const tree = await parseBash(text);
  const root = tree.rootNode;
  if (root.hasError) return { kind: 'syntax', line: firstErrorLine(root) };
  const variables = new Map<string, Value>();
  const functions = new Map<string, PkgbuildFunction>();
  const scope: Scope = { get: (name) => variables.get(name) };
  try {
    for (const statement of root.namedChildren) {
      if (statement === null || statement.type === 'comment') continue;
      if (statement.type === 'variable_assignment') assign(statement, variables, scope);
      else if (statement.type === 'variable_assignments') for (const child of statement.namedChildren) assign(child!, variables, scope);
      else if (statement.type === 'function_definition') {
        const name = statement.childForFieldName('name');
        if (name !== null) functions.set(name.text, { line: statement.startPosition.row + 1, assigns: assignedNames(statement) });
      } else throw new Undecidable(statement, `${statementKind(statement)} at top level runs code: ${JSON.stringify(statement.text.split('\n')[0]!.slice(0, 60))}`);
    }
  } catch (error) {
    if (error instanceof Undecidable) return { kind: 'undecidable', reason: error.message, line: error.line };
    throw error;
  } finally {
    tree.delete();
  }
  return { kind: 'decided', variables, functions };
}

function assign(node: Node, variables: Map<string, Value>, scope: Scope): void {
  const name = node.namedChildren[0];
  if (name?.type !== 'variable_name') throw new Undecidable(node, `assignment to ${JSON.stringify(node.text.slice(0, 40))}`);
  const append = node.children.some((child) => child?.type === '+=');
  const valueNode = node.namedChildren[1] ?? null;
  let value: Value;
  if (valueNode === null) value = '';
  else if (valueNode.type === 'array') value = valueNode.namedChildren.filter((child) => child !== null && child.type !== 'comment').flatMap((child) => arrayWords(child!, scope));
  else value = scalarWord(valueNode, scope);

  const before = variables.get(name.text);
  if (!append || before === undefined) {
    variables.set(name.text, value);
  } else if (typeof value === 'string') {
    if (typeof before !== 'string') throw new Undecidable(node, `${name.text}+= appends to element 0 of an array`);
    variables.set(name.text, before + value);
  } else {
    variables.set(name.text, [...(typeof before === 'string' ? [before] : before), ...value]);
  }
}

function assignedNames(node: Node): Set<string> {
  const names = new Set<string>();
  for (const assignment of node.descendantsOfType('variable_assignment')) {
    const name = assignment?.namedChildren[0];
    if (name?.type === 'variable_name') names.add(name.text);
  }
  return names;
}

function statementKind(node: Node): string {
  const kinds: Record<string, string> = {
    command: 'a command',
    if_statement: 'an if statement',
    case_statement: 'a case statement',
    declaration_command: 'a declaration (export/declare/local/readonly)',
    for_statement: 'a for loop',
    while_statement: 'a while loop',
    list: 'a command list',
    pipeline: 'a pipeline',
    subshell: 'a subshell',
    compound_statement: 'a { … } block',
    redirected_statement: 'a redirected command',
    test_command: 'a test',
  };
  return kinds[node.type] ?? node.type;
}

/** The line of the innermost error: an ERROR node can span many good lines before the one it could not read. */
function firstErrorLine(node: Node): number {
  for (const child of node.children) {
    if (child !== null && (child.hasError || child.isMissing)) return firstErrorLine(child);
  }
  return node.startPosition.row + 1;
}
