// readPkgbuild: what makepkg would learn from sourcing a PKGBUILD, found
// without running it. Top-level assignments (also `+=`, arrays, several on
// one line) are evaluated in order, `if` and `case` are followed when their
// conditions are decided by known values, and function definitions are
// noted. Anything else at top level — a command, `export`, a loop, a test of
// the build machine — could change the variables in ways only running it
// shows, so the result is undecidable, naming the construct and its line.
// Never a guess.

import type { BashNode as Node } from './bashSyntax.js';
import { parseBash } from './bashParser.js';
import { isPackageAttribute, isSingleValuedPackageAttribute } from './pkgbuildAttributes.js';
import { conditionHolds, matchesPattern } from './pkgbuildConditions.js';
import { listOf, readAssignment, scalarWord, Undecidable, type Scope, type Value } from './pkgbuildValues.js';

/** A package attribute set inside a package function, evaluated as makepkg does (see attributeAssignments). */
export interface FunctionAttribute {
  readonly name: string;
  readonly append: boolean;
  readonly value: Value;
}

/** A function the PKGBUILD defines: where, and (for package functions) the attributes it sets, in order. */
export interface PkgbuildFunction {
  readonly line: number;
  readonly attributes: readonly FunctionAttribute[];
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
  const definitions = new Map<string, Node>();
  try {
    run(root.namedChildren, { variables, functions: definitions, scope });
    // makepkg reads package functions after sourcing the whole file, with the final values.
    for (const [name, node] of definitions) {
      const isPackage = name === 'package' || name.startsWith('package_');
      functions.set(name, { line: node.startPosition.row + 1, attributes: isPackage ? attributeAssignments(node, scope) : [] });
    }
  } catch (error) {
    if (error instanceof Undecidable) return { kind: 'undecidable', reason: error.message, line: error.line };
    throw error;
  } finally {
    tree.delete();
  }
  return { kind: 'decided', variables, functions };
}

interface State {
  readonly variables: Map<string, Value>;
  /** Function definitions by name; a later definition replaces an earlier one, as in bash. */
  readonly functions: Map<string, Node>;
  readonly scope: Scope;
}

/** Runs statements the way bash would, as far as it can be decided without running anything. */
function run(statements: ReadonlyArray<Node | null>, state: State): void {
  for (const statement of statements) {
    if (statement === null || statement.type === 'comment') continue;
    switch (statement.type) {
      case 'variable_assignment':
        assign(statement, state.variables, state.scope);
        break;
      case 'variable_assignments':
        for (const child of statement.namedChildren) assign(child!, state.variables, state.scope);
        break;
      case 'function_definition': {
        const name = statement.childForFieldName('name');
        if (name !== null) state.functions.set(name.text, statement);
        break;
      }
      case 'if_statement':
        runIf(statement, state);
        break;
      case 'case_statement':
        runCase(statement, state);
        break;
      default:
        throw new Undecidable(statement, `${statementKind(statement)} at top level runs code: ${JSON.stringify(statement.text.split('\n')[0]!.slice(0, 60))}`);
    }
  }
}

/** if/elif/else: the first branch whose condition holds runs; conditions are decided or the whole is undecidable. */
function runIf(node: Node, state: State): void {
  const branches = [ifClause(node, true)];
  for (const child of node.children) {
    if (child?.type === 'elif_clause') branches.push(ifClause(child, true));
    else if (child?.type === 'else_clause') branches.push(ifClause(child, false));
  }
  for (const branch of branches) {
    if (branch.condition === undefined || conditionHolds(branch.condition, state.scope)) {
      run(branch.body, state);
      return;
    }
  }
}

/** A clause's condition (the named node before `then`) and body; an else clause has no condition. */
function ifClause(clause: Node, hasCondition: boolean): { condition: Node | undefined; body: Node[] } {
  let condition: Node | undefined;
  const body: Node[] = [];
  let inBody = !hasCondition;
  for (const child of clause.children) {
    if (child === null || child.type === 'elif_clause' || child.type === 'else_clause') continue;
    if (child.type === 'then') inBody = true;
    else if (child.isNamed && inBody) body.push(child);
    else if (child.isNamed && child.type !== 'comment') {
      if (condition !== undefined) throw new Undecidable(child, `a condition of several commands: ${JSON.stringify(child.text.slice(0, 60))}`);
      condition = child;
    }
  }
  return { condition, body };
}

/** case: the first item with a matching pattern runs; `;&` and `;;&` fall through, which is not decided. */
function runCase(node: Node, state: State): void {
  const subjectNode = node.namedChildren.find((child) => child !== null && child.type !== 'case_item' && child.type !== 'comment');
  if (subjectNode === undefined || subjectNode === null) throw new Undecidable(node, 'a case without a subject');
  const subject = scalarWord(subjectNode, state.scope);
  for (const item of node.namedChildren) {
    if (item?.type !== 'case_item') continue;
    const patterns: Node[] = [];
    const body: Node[] = [];
    let inBody = false;
    for (const child of item.children) {
      if (child === null) continue;
      if (child.type === ')') inBody = true;
      else if (child.type === ';&' || child.type === ';;&') throw new Undecidable(child, `case fall-through (${child.type})`);
      else if (child.isNamed && !inBody) patterns.push(child);
      else if (child.isNamed) body.push(child);
    }
    if (patterns.some((pattern) => matchesPattern(subject, pattern, item))) {
      run(body, state);
      return;
    }
  }
}

function assign(node: Node, variables: Map<string, Value>, scope: Scope): void {
  const { name, append, value } = readAssignment(node, scope);
  const before = variables.get(name);
  if (!append || before === undefined) {
    variables.set(name, value);
  } else if (typeof value === 'string') {
    if (typeof before !== 'string') throw new Undecidable(node, `${name}+= appends to element 0 of an array`);
    variables.set(name, before + value);
  } else {
    variables.set(name, [...listOf(before), ...value]);
  }
}

/** Where an assignment is a statement of its own (what makepkg's line grep finds). */
const STATEMENT_PARENTS: ReadonlySet<string> = new Set(['compound_statement', 'variable_assignments', 'if_statement', 'elif_clause', 'else_clause', 'case_item', 'do_group']);

/**
 * makepkg greps a package function's text for lines that assign a package
 * attribute and evals just those lines, in order, wherever they sit (inside
 * an if, a loop, after a return): so every such assignment counts, and its
 * value is read with the global variables only. `local`/`declare` lines
 * and assignments inside command lists are left undecidable rather than
 * mimicked.
 */
function attributeAssignments(fn: Node, scope: Scope): FunctionAttribute[] {
  const attributes: FunctionAttribute[] = [];
  for (const assignment of fn.descendantsOfType('variable_assignment')) {
    const name = assignment?.namedChildren[0];
    if (assignment === null || name?.type !== 'variable_name' || !isPackageAttribute(name.text)) continue;
    if (!STATEMENT_PARENTS.has(assignment.parent?.type ?? '')) {
      // e.g. `local depends=…`, `declare …`, `x && depends=…`: makepkg's grep reads these differently.
      throw new Undecidable(assignment, `${name.text} set in ${JSON.stringify(assignment.parent?.text.split('\n')[0]?.slice(0, 60))} inside a package function`);
    }
    const attribute = readAssignment(assignment, scope);
    // A list key given a scalar (or a single key an array) fails makepkg's lint or its line grep: not decided.
    if (Array.isArray(attribute.value) !== !isSingleValuedPackageAttribute(attribute.name)) {
      throw new Undecidable(assignment, `${attribute.name} is assigned ${Array.isArray(attribute.value) ? 'an array' : 'a scalar'} inside a package function`);
    }
    attributes.push(attribute);
  }
  return attributes;
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
