// pkgbuildConditions: the `if` tests and `case` patterns the reader can
// decide from values it already knows — string and integer comparisons,
// -n/-z, !, && and ||, (( variable )), and case patterns of literal text,
// * and ?. Everything else (file tests, regexes, arithmetic, classes) is
// undecidable: its answer depends on running it or on the machine.

import type { BashNode as Node } from './bashSyntax.js';
import { scalarOf, scalarWord, Undecidable, type Scope } from './pkgbuildValues.js';

/** The truth of an `if`/`elif` condition node. */
export function conditionHolds(node: Node, scope: Scope): boolean {
  if (node.type === 'test_command') {
    const single = node.children[0]?.type === '[';
    const inner = node.namedChildren.filter((child) => child !== null);
    if (inner.length !== 1) throw new Undecidable(node, `the test ${snippet(node)}`);
    return expression(inner[0]!, scope, single);
  }
  if (node.type === 'list' && node.childCount === 3) {
    const [left, operator, right] = [node.child(0), node.child(1), node.child(2)];
    if (left !== null && right !== null && operator?.type === '&&') return conditionHolds(left, scope) && conditionHolds(right, scope);
    if (left !== null && right !== null && operator?.type === '||') return conditionHolds(left, scope) || conditionHolds(right, scope);
  }
  if (node.type === 'compound_statement' && node.children[0]?.type === '((') {
    const inner = node.namedChildren.filter((child) => child !== null);
    if (inner.length === 1 && (inner[0]!.type === 'variable_name' || inner[0]!.type === 'number')) {
      const text = inner[0]!.type === 'number' ? inner[0]!.text : scalarOf(scope.get(inner[0]!.text));
      if (text === '') return false; // unset or empty is 0 in arithmetic
      if (!/^-?\d+$/.test(text)) throw new Undecidable(node, `arithmetic on ${JSON.stringify(text)} in ${snippet(node)}`);
      return Number(text) !== 0;
    }
  }
  throw new Undecidable(node, `the condition ${snippet(node)}`);
}

function expression(node: Node, scope: Scope, single: boolean): boolean {
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.filter((child) => child !== null);
      if (inner.length === 1) return expression(inner[0]!, scope, single);
      break;
    }
    case 'negated_expression': {
      const inner = node.namedChildren.filter((child) => child !== null);
      if (inner.length === 1) return !expression(inner[0]!, scope, single);
      break;
    }
    case 'unary_expression': {
      if (node.childCount === 2 && node.child(0)?.type === '!' && node.child(1) !== null) return !expression(node.child(1)!, scope, single);
      const operator = node.namedChildren[0];
      const operand = node.namedChildren[1];
      if (operator?.type === 'test_operator' && operand !== null && operand !== undefined && node.namedChildren.length === 2) {
        if (operator.text === '-n') return operand_(operand, scope, single) !== '';
        if (operator.text === '-z') return operand_(operand, scope, single) === '';
      }
      break;
    }
    case 'binary_expression': {
      // left, operator, right: the operator may be a named node (test_operator) or a token.
      if (node.childCount !== 3) break;
      const [left, operator, right] = [node.child(0), node.child(1), node.child(2)];
      if (left === null || operator === null || right === null) break;
      const op = operator.text;
      if (op === '&&') return expression(left, scope, single) && expression(right, scope, single);
      if (op === '||') return expression(left, scope, single) || expression(right, scope, single);
      if (op === '==' || op === '=' || op === '!=') {
        const value = operand_(left, scope, single);
        // In [[ ]], an unquoted right side is a pattern; quoted (or in [ ]) it is a string.
        const equal = !single && isPatternNode(right) ? matchesPattern(value, right, node) : value === operand_(right, scope, single);
        return op === '!=' ? !equal : equal;
      }
      const integers: Record<string, (a: number, b: number) => boolean> = {
        '-eq': (a, b) => a === b, '-ne': (a, b) => a !== b, '-lt': (a, b) => a < b,
        '-le': (a, b) => a <= b, '-gt': (a, b) => a > b, '-ge': (a, b) => a >= b,
      };
      const compare = integers[op];
      if (compare !== undefined) return compare(integer(left, scope, single), integer(right, scope, single));
      break;
    }
    default:
      break;
  }
  throw new Undecidable(node, `the test ${snippet(node)}`);
}

function operand_(node: Node, scope: Scope, single: boolean): string {
  const value = scalarWord(node, scope);
  // In [ ], an unquoted expansion is split: only a value that stays one word is decided.
  if (single && (node.type === 'simple_expansion' || node.type === 'expansion') && (value === '' || /\s|[*?[]/.test(value))) {
    throw new Undecidable(node, `unquoted ${node.text} in [ ] would be split`);
  }
  return value;
}

function integer(node: Node, scope: Scope, single: boolean): number {
  const text = operand_(node, scope, single).trim();
  if (!/^-?\d+$/.test(text)) throw new Undecidable(node, `${JSON.stringify(text)} is not an integer`);
  return Number(text);
}

function isPatternNode(node: Node): boolean {
  return node.type === 'extglob_pattern' || node.type === 'word' || node.type === 'regex';
}

/** A case or [[ ]] pattern of literal text, * and ?; quoted parts are literal. */
export function matchesPattern(value: string, pattern: Node, context: Node): boolean {
  let source: string;
  if (pattern.type === 'string' || pattern.type === 'raw_string') source = escapeRegExp(pattern.type === 'raw_string' ? pattern.text.slice(1, -1) : pattern.text.slice(1, -1));
  else {
    const text = pattern.text;
    if (/[[\]\\'"$`(){}!@+]/.test(text)) throw new Undecidable(context, `the pattern ${JSON.stringify(text.slice(0, 60))} is not plain`);
    source = [...text].map((char) => (char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : escapeRegExp(char))).join('');
  }
  if (pattern.type === 'string' && /[$`\\]/.test(pattern.text)) throw new Undecidable(context, `the quoted pattern ${JSON.stringify(pattern.text.slice(0, 60))}`);
  return new RegExp(`^(?:${source})$`).test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function snippet(node: Node): string {
  return JSON.stringify(node.text.split('\n')[0]!.slice(0, 60));
}
