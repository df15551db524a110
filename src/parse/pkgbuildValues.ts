// pkgbuildValues: bash words evaluated statically, as bash would expand them
// when makepkg sources a PKGBUILD — quoting, $v and ${v}, the parameter
// operators, arrays. Whatever needs running code or an unknown environment
// (command substitution, unset variables without a default, globbing, word
// splitting of values with spaces) throws Undecidable naming the construct:
// the reader never guesses.

import type { BashNode as Node } from './bashSyntax.js';

export type Value = string | readonly string[];

export class Undecidable extends Error {
  readonly line: number;
  constructor(node: Node, reason: string) {
    super(reason);
    this.name = 'Undecidable';
    this.line = node.startPosition.row + 1;
  }
}

export interface Scope {
  get(name: string): Value | undefined;
}

/** One word in a scalar assignment (`x=WORD`): no word splitting, no globbing. */
export function scalarWord(node: Node, scope: Scope): string {
  return joinParts(node, scope, false).join(' ');
}

/** One element of an array assignment (`x=(… WORD …)`): zero, one or several words. */
export function arrayWords(node: Node, scope: Scope): string[] {
  return joinParts(node, scope, true);
}

/**
 * The words a node expands to. `split` is true in array context, where an
 * unquoted expansion is split into words and patterns would glob: both are
 * decided only when nothing would actually split or match.
 */
function joinParts(node: Node, scope: Scope, split: boolean): string[] {
  switch (node.type) {
    case 'word':
    case 'number':
      return [literalWord(node, split)];
    case 'raw_string':
      return [node.text.slice(1, -1)];
    // tree-sitter-bash reads a bare name in an operand (`${v/#/rbee-}`) as a
    // variable_name; outside $ or ${} it is plain text.
    case 'variable_name':
      return [literalWord(node, split)];
    case 'string':
      return doubleQuoted(node, scope, split);
    case 'simple_expansion':
    case 'expansion': {
      const value = node.type === 'simple_expansion' ? simpleExpansion(node, scope) : expansion(node, scope);
      if (!split) return [typeof value === 'string' ? value : value.join(' ')];
      // Unquoted in an array: each resulting word is split again; only values without blanks or patterns are decided.
      const words = typeof value === 'string' ? [value] : [...value];
      for (const word of words) {
        if (/[\s*?[]/.test(word)) throw new Undecidable(node, `unquoted ${node.text} would be split or globbed`);
      }
      return words.filter((word) => word !== '');
    }
    case 'concatenation': {
      let text = '';
      for (const child of node.namedChildren) {
        const parts = joinParts(child!, scope, split);
        if (parts.length > 1) throw new Undecidable(child!, `${child!.text} expands to several words inside a longer word`);
        text += parts[0] ?? '';
      }
      return [text];
    }
    default:
      throw new Undecidable(node, `${describe(node)} cannot be evaluated without running it`);
  }
}

function describe(node: Node): string {
  const names: Record<string, string> = {
    command_substitution: 'command substitution',
    process_substitution: 'process substitution',
    arithmetic_expansion: 'arithmetic expansion',
    ansi_c_string: "an ANSI-C string ($'…')",
    translated_string: 'a translated string ($"…")',
    brace_expression: 'brace expansion',
  };
  return `${names[node.type] ?? node.type} ${JSON.stringify(node.text.slice(0, 60))}`;
}

function literalWord(node: Node, split: boolean): string {
  const text = node.text;
  if (text.includes('\\')) throw new Undecidable(node, `backslash escapes in ${JSON.stringify(text.slice(0, 60))}`);
  if (text.startsWith('~')) throw new Undecidable(node, `tilde expansion in ${JSON.stringify(text.slice(0, 60))}`);
  if (split && /[*?[{}]/.test(text)) throw new Undecidable(node, `${JSON.stringify(text.slice(0, 60))} would glob or brace-expand`);
  return text;
}

function doubleQuoted(node: Node, scope: Scope, split: boolean): string[] {
  const children = node.namedChildren.filter((child) => child !== null);
  // tree-sitter leaves some literal text (a newline, for one) outside any
  // child, so the word is rebuilt from the source: literal runs between the
  // children, and each child's value. One "${a[@]}" in an array element
  // makes one word per element, the text before it joined to the first and
  // the text after it to the last, as bash does.
  const source = node.text;
  const base = node.startIndex;
  const words: string[] = [''];
  let sawArray = false;
  let at = 1; // after the opening quote
  const add = (text: string): void => {
    words[words.length - 1] += text;
  };
  for (const child of children) {
    add(unescapeDoubleQuoted(source.slice(at, child.startIndex - base)));
    if (child.type === 'string_content') add(unescapeDoubleQuoted(child.text));
    else if (child.type === 'simple_expansion' || child.type === 'expansion') {
      const value = child.type === 'simple_expansion' ? simpleExpansion(child, scope) : expansion(child, scope);
      if (typeof value !== 'string' && split && child.type === 'expansion' && isWholeArray(child)) {
        if (sawArray) throw new Undecidable(child, `two \${…[@]} in one quoted word`);
        sawArray = true;
        if (value.length > 0) {
          add(value[0]!);
          words.push(...value.slice(1));
        }
      } else add(typeof value === 'string' ? value : value.join(' '));
    } else throw new Undecidable(child, `${describe(child)} cannot be evaluated without running it`);
    at = child.endIndex - base;
  }
  add(unescapeDoubleQuoted(source.slice(at, source.length - 1)));
  return words;
}

/** Inside double quotes a backslash escapes only $ ` " \ and a newline. */
function unescapeDoubleQuoted(literal: string): string {
  return literal.replace(/\\([$`"\\\n])/g, (_, escaped: string) => (escaped === '\n' ? '' : escaped));
}

function isWholeArray(node: Node): boolean {
  // ${#a[@]} is a count: one word.
  if (node.children[1]?.type === '#') return false;
  // ${a[@]} and ${a[@]<operator>…}: one word per element (the operator applies to each).
  const subscript = node.children[1];
  const index = subscript?.type === 'subscript' ? subscript.namedChildren[1]?.text : undefined;
  return index === '@' || index === '*';
}

function simpleExpansion(node: Node, scope: Scope): Value {
  const name = node.namedChildren[0];
  if (name?.type !== 'variable_name') throw new Undecidable(node, `${node.text} is a special parameter`);
  const value = scope.get(name.text);
  if (value === undefined) throw new Undecidable(node, `${node.text} is not set by the PKGBUILD (it would come from the environment)`);
  return scalarOf(value);
}

/** `${…}`: the forms makepkg PKGBUILDs use; anything else is undecidable. */
function expansion(node: Node, scope: Scope): Value {
  const parts = node.children.filter((child) => child !== null).slice(1, -1); // without ${ and }
  let index = 0;
  const lengthOf = parts[0]?.type === '#' && parts.length === 2;
  if (lengthOf) index = 1;
  const target = parts[index];
  if (target === undefined) throw new Undecidable(node, `${node.text} is not a supported expansion`);
  const { value, name } = lookup(target, scope, node);
  const rest = parts.slice(index + 1);
  if (lengthOf) {
    if (value === undefined) throw new Undecidable(node, `${name} is not set by the PKGBUILD`);
    return String(Array.isArray(value) && isAll(target) ? value.length : [...scalarOf(value)].length);
  }
  if (rest.length === 0) {
    if (value === undefined) throw new Undecidable(node, `${name} is not set by the PKGBUILD (it would come from the environment)`);
    return Array.isArray(value) && isAll(target) ? value : scalarOf(value);
  }
  const operator = rest[0]!.type;
  const operand = rest[1];
  const word = (): string => (operand === undefined ? '' : operandWord(rest.slice(1), scope, node));
  switch (operator) {
    case ':-': return value === undefined || scalarOf(value) === '' ? word() : scalarOrAll(value, target);
    case '-': return value === undefined ? word() : scalarOrAll(value, target);
    case ':+': return value === undefined || scalarOf(value) === '' ? '' : word();
    case '+': return value === undefined ? '' : word();
    default:
      break;
  }
  if (value === undefined) throw new Undecidable(node, `${name} is not set by the PKGBUILD`);
  const each = (transform: (text: string) => string): Value =>
    Array.isArray(value) && isAll(target) ? value.map(transform) : transform(scalarOf(value));
  switch (operator) {
    case ',,': return rest.length === 1 ? each((text) => text.toLowerCase()) : undecidable(node);
    case '^^': return rest.length === 1 ? each((text) => text.toUpperCase()) : undecidable(node);
    case ',': return rest.length === 1 ? each((text) => text.slice(0, 1).toLowerCase() + text.slice(1)) : undecidable(node);
    case '^': return rest.length === 1 ? each((text) => text.slice(0, 1).toUpperCase() + text.slice(1)) : undecidable(node);
    case '#': case '##': case '%': case '%%': {
      const pattern = globToRegExp(operand, node);
      return each((text) => trim(text, pattern, operator));
    }
    case '/': case '//': case '/#': case '/%': {
      // ${v/p/r}: the pattern may be empty (`${v/%/r}`), the `/r` part absent.
      const hasPattern = rest[1] !== undefined && rest[1].type !== '/';
      const separator = hasPattern ? 2 : 1;
      if (rest[separator] !== undefined && rest[separator]!.type !== '/') return undecidable(node);
      const pattern = hasPattern ? globToRegExp(rest[1], node) : '';
      const replacement = rest[separator] === undefined ? '' : operandWord(rest.slice(separator + 1), scope, node);
      if (operator === '/#') return each((text) => (pattern === '' ? replacement + text : anchoredReplace(text, pattern, replacement, 'start')));
      if (operator === '/%') return each((text) => (pattern === '' ? text + replacement : anchoredReplace(text, pattern, replacement, 'end')));
      return each((text) => replace(text, pattern, replacement, operator === '//'));
    }
    case ':': {
      const numbers = rest.filter((part) => part.type !== ':');
      if (numbers.length < 1 || numbers.length > 2 || numbers.some((part) => part.type !== 'number')) return undecidable(node);
      const offset = Number(numbers[0]!.text);
      const length = numbers[1] === undefined ? undefined : Number(numbers[1].text);
      return each((text) => [...text].slice(offset, length === undefined ? undefined : offset + length).join(''));
    }
    default:
      return undecidable(node);
  }
}

function undecidable(node: Node): never {
  throw new Undecidable(node, `${node.text.slice(0, 60)} is not a supported expansion`);
}

function lookup(target: Node, scope: Scope, node: Node): { value: Value | undefined; name: string } {
  if (target.type === 'variable_name') return { value: scope.get(target.text), name: target.text };
  if (target.type === 'subscript') {
    const [name, index] = [target.namedChildren[0], target.namedChildren[1]];
    if (name?.type !== 'variable_name' || index === undefined || index === null) return { value: undecidable(node), name: '' };
    const value = scope.get(name.text);
    if (index.text === '@' || index.text === '*') return { value, name: name.text };
    if (index.type !== 'number') return { value: undecidable(node), name: '' };
    return { value: listOf(value)[Number(index.text)], name: `${name.text}[${index.text}]` };
  }
  throw new Undecidable(node, `${node.text.slice(0, 60)} is a special or indirect parameter`);
}

function isAll(target: Node): boolean {
  const index = target.type === 'subscript' ? target.namedChildren[1]?.text : undefined;
  return index === '@' || index === '*';
}

/** `$v`: a scalar, or an array's first element; '' when unset. */
export function scalarOf(value: Value | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? value : (value[0] ?? '');
}

/** A value as an array: a scalar is a one-element array (as makepkg's array_build makes it). */
export function listOf(value: Value | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** One `name=value` / `name+=value` node: its name, whether it appends, and its value. */
export function readAssignment(node: Node, scope: Scope): { name: string; append: boolean; value: Value } {
  const name = node.namedChildren[0];
  if (name?.type !== 'variable_name') throw new Undecidable(node, `assignment to ${JSON.stringify(node.text.slice(0, 40))}`);
  const append = node.children.some((child) => child?.type === '+=');
  const valueNode = node.namedChildren[1] ?? null;
  if (valueNode === null) return { name: name.text, append, value: '' };
  if (valueNode.type !== 'array') return { name: name.text, append, value: scalarWord(valueNode, scope) };
  const elements = valueNode.namedChildren.filter((child) => child !== null && child.type !== 'comment');
  return { name: name.text, append, value: elements.flatMap((child) => arrayWords(child!, scope)) };
}

function scalarOrAll(value: Value, target: Node): Value {
  return Array.isArray(value) && isAll(target) ? value : scalarOf(value);
}

/** The word after an operator (`${v:-WORD}`), which may be several nodes. */
function operandWord(nodes: readonly Node[], scope: Scope, node: Node): string {
  let text = '';
  for (const part of nodes) {
    if (part.type === '}' ) break;
    if (['word', 'number', 'raw_string', 'string', 'simple_expansion', 'expansion', 'concatenation'].includes(part.type)) text += scalarWord(part, scope);
    else throw new Undecidable(node, `${describe(part)} in ${node.text.slice(0, 60)}`);
  }
  return text;
}

/** A bash pattern of literal text, * and ?; anything richer (classes, quotes, expansions, extglob) is undecidable. */
function globToRegExp(pattern: Node | undefined, node: Node): string {
  const text = pattern?.text ?? '';
  if (/[[\]\\'"$`()!@+]/.test(text)) throw new Undecidable(node, `the pattern in ${node.text.slice(0, 60)} is not plain`);
  return [...text].map((char) => (char === '*' ? '[\\s\\S]*' : char === '?' ? '[\\s\\S]' : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
}

function trim(text: string, pattern: string, operator: string): string {
  const chars = [...text];
  const matches = (candidate: string): boolean => new RegExp(`^(?:${pattern})$`).test(candidate);
  if (operator === '#' || operator === '##') {
    const order = operator === '#' ? range(0, chars.length) : range(0, chars.length).reverse();
    for (const end of order) if (matches(chars.slice(0, end).join(''))) return chars.slice(end).join('');
  } else {
    const order = operator === '%' ? range(0, chars.length).reverse() : range(0, chars.length);
    for (const start of order) if (matches(chars.slice(start).join(''))) return chars.slice(0, start).join('');
  }
  return text;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** `${v/#p/r}` and `${v/%p/r}`: the longest match anchored at the start or the end, replaced. */
function anchoredReplace(text: string, pattern: string, replacement: string, anchor: 'start' | 'end'): string {
  const chars = [...text];
  const matches = (candidate: string): boolean => new RegExp(`^(?:${pattern})$`).test(candidate);
  for (let length = chars.length; length > 0; length -= 1) {
    const part = anchor === 'start' ? chars.slice(0, length).join('') : chars.slice(chars.length - length).join('');
    if (!matches(part)) continue;
    return anchor === 'start' ? replacement + chars.slice(length).join('') : chars.slice(0, chars.length - length).join('') + replacement;
  }
  return text;
}

/** `${v/p/r}` and `${v//p/r}`: the longest match at the leftmost position, replaced once or everywhere. */
function replace(text: string, pattern: string, replacement: string, all: boolean): string {
  if (pattern === '') return text;
  const chars = [...text];
  let out = '';
  let start = 0;
  let replaced = false;
  while (start < chars.length) {
    let matchEnd = -1;
    if (!replaced || all) {
      for (let end = chars.length; end > start; end -= 1) {
        if (new RegExp(`^(?:${pattern})$`).test(chars.slice(start, end).join(''))) {
          matchEnd = end;
          break;
        }
      }
    }
    if (matchEnd === -1) {
      out += chars[start];
      start += 1;
    } else {
      out += replacement;
      start = matchEnd;
      replaced = true;
    }
  }
  return out;
}
