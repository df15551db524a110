// fastBashParser: a hand-written parser for the part of bash PKGBUILDs use —
// comments, assignments (scalars, arrays, `+=`, several on a line), quoting,
// $v and ${v…} with the common operators, functions whose bodies are simple
// commands, pipelines, && and ||, $(…), export/local, `if` with [[ ]] or [ ]
// tests — building exactly the tree tree-sitter-bash builds for that text
// (same types, named-ness, fields, child order and extents), and its plain
// objects spare the reader web-tree-sitter's marshalling: reading a PKGBUILD
// costs about a fifth of the CPU. It is conservative: on anything it is not
// certain of (case, heredocs, redirects, escapes, the many corners where
// tree-sitter-bash reads bash its own way) it returns undefined and
// tree-sitter parses the text. test/parse/fastBashParser.test.ts checks it
// against tree-sitter on fixtures, mutations and generated programs.

import { FastBashNode, FastBashSource, FastBashTree } from './fastBashNode.js';

/** The tree for `text`, or undefined when tree-sitter must parse it. */
export function parseBashFast(text: string): FastBashTree | undefined {
  // Carriage returns, form feeds, control and Unicode blanks lex differently in corners: not ours.
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    return new FastBashTree(new Parser(text).program());
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}

const UNSUPPORTED_CHARACTERS = /[\0-\x08\x0b-\x1f\x7f\u0085\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]/;

/** Thrown to give up; never escapes parseBashFast. */
const BAIL = Symbol('bail');

function bail(): never {
  throw BAIL;
}

/** Words bash reserves at the start of a command: never read as a plain command or argument here. */
const RESERVED: ReadonlySet<string> = new Set([
  'if', 'then', 'elif', 'else', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done',
  'in', 'function', 'time', 'coproc', '!', '{', '}', '[[', ']]', 'declare', 'typeset', 'export', 'readonly',
  'local', 'unset', 'unsetenv',
]);
const AFTER_ASSIGNMENTS: ReadonlySet<string> = new Set(['variable_assignment', 'variable_assignments']);
/** What && and || join here; assignments and declarations around them are left to tree-sitter. */
const IN_LIST: ReadonlySet<string> = new Set(['command', 'pipeline', 'test_command', 'list']);
/** Left sides of =, == and != in tests whose neighbours tree-sitter reads as shown here. */
const PLAIN_OPERAND: ReadonlySet<string> = new Set(['simple_expansion', 'expansion', 'string']);
const DECLARATIONS: ReadonlySet<string> = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

const ASSIGNMENT = /[A-Za-z_][A-Za-z0-9_]*\+?=/y;
const VARIABLE = /[A-Za-z_][A-Za-z0-9_]*/y;
const FUNCTION_HEAD = /([A-Za-z_][A-Za-z0-9_.+-]*)[ \t]*\(\)/y;
/** What ends tree-sitter-bash's word token (a backslash too: escapes are left to tree-sitter). */
const NOT_IN_WORD = new Uint8Array(128);
for (const c of `'"<>{}[]()\`$|&;\\ \t\n\v\f\r`) NOT_IN_WORD[c.charCodeAt(0)] = 1;
/** Command names tree-sitter surely reads as one word (its scanner splits `Y%m`, `a@b` and `https:` after the name). */
const COMMAND_NAME = /^[A-Za-z_./][A-Za-z0-9_./+,-]*$/;
const NUMBER = /^-?(0x)?[0-9]+(#[0-9A-Za-z@_]+)?$/;
/** Plain text after ${v:-, ${v:+ …: what tree-sitter surely reads as one word (it splits at `-`, for one). */
const EXPANSION_WORD = /[A-Za-z0-9_.]+/y;
/** A pattern in ${v#…}, ${v%…} and ${v/…/…}. */
const EXPANSION_PATTERN = /[A-Za-z0-9_.*?+-]+/y;
const EXPANSION_REPLACEMENT = /[A-Za-z0-9_.]+/y;
/** A [[ … == … ]] right side tree-sitter reads as one extglob_pattern. */
const TEST_PATTERN = /[A-Za-z0-9_.+-]+/y;
const TEST_OPERATOR = /-(eq|ne|lt|le|gt|ge|[nzefdrwxsL])(?=[ \t])/y;
const UNARY_TEST = /^-[nzefdrwxsL]$/;

/** Where a literal stands: numbers are read as numbers in some places only; `=` may start a word in a value. */
type LiteralPlace = 'value' | 'argument' | 'array' | 'test';

/** Statements between two tokens: the children, their fields, and comments not yet placed. */
interface Block {
  readonly children: FastBashNode[];
  readonly fields: (string | undefined)[];
  /** Comments after the block's last terminator: they belong to whichever node ends after them. */
  pending: FastBashNode[];
  /** The end of the block's last token, a hidden newline terminator included. */
  end: number;
}

class Parser {
  private at = 0;
  private readonly source: FastBashSource;

  constructor(private readonly text: string) {
    this.source = new FastBashSource(text);
  }

  program(): FastBashNode {
    const block = this.statements('eof');
    const children = [...block.children, ...block.pending];
    // A file of comments only (or nothing) has an odd root extent; tree-sitter handles it.
    if (!children.some((child) => child.type !== 'comment' && child.type !== ';')) bail();
    return new FastBashNode(this.source, 'program', true, children[0]!.startIndex, this.text.length, children, fieldsOr([...block.fields, ...block.pending.map(() => undefined)]));
  }

  // Tokens

  private leaf(type: string, named: boolean, length: number): FastBashNode {
    const node = new FastBashNode(this.source, type, named, this.at, this.at + length);
    this.at += length;
    return node;
  }

  private node(type: string, children: FastBashNode[], fields?: (string | undefined)[]): FastBashNode {
    return new FastBashNode(this.source, type, true, children[0]!.startIndex, children[children.length - 1]!.endIndex, children, fields);
  }

  private char(offset = 0): string {
    return this.text.charAt(this.at + offset);
  }

  private startsWith(token: string): boolean {
    return this.text.startsWith(token, this.at);
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    return found === null ? undefined : found[0];
  }

  /** Whether a sticky pattern matches here (without building a match). */
  private sees(pattern: RegExp): boolean {
    pattern.lastIndex = this.at;
    return pattern.test(this.text);
  }

  /** The length of the word token here (see NOT_IN_WORD), 0 when none; a loop, not a regex: this is the hottest scan. */
  private wordLength(from = this.at): number {
    let end = from;
    for (; end < this.text.length; end += 1) {
      const code = this.text.charCodeAt(end);
      if (code < 128 && NOT_IN_WORD[code] === 1) break;
    }
    return end - from;
  }

  /** A reserved word standing alone here (as a command name or an argument). */
  private atReservedWord(): boolean {
    const length = this.wordLength();
    return length > 0 && length <= 8 && RESERVED.has(this.text.slice(this.at, this.at + length)) && isDelimiter(this.text.charAt(this.at + length));
  }

  /** Blanks and line continuations, which tree-sitter skips as extras. */
  private skipBlanks(): void {
    for (;;) {
      const c = this.char();
      if (c === ' ' || c === '\t') this.at += 1;
      else if (c === '\\' && this.char(1) === '\n') {
        this.at += 2;
        // A continued line that is blank ends the statement in ways tree-sitter does not share.
        let next = this.at;
        while (this.text.charAt(next) === ' ' || this.text.charAt(next) === '\t') next += 1;
        if (next >= this.text.length || this.text.charAt(next) === '\n') bail();
      } else return;
    }
  }

  /** Between statements: blank lines, but no line continuation (tree-sitter reads one at a statement start its own way). */
  private skipBlanksAndNewlines(): void {
    for (;;) {
      const c = this.char();
      if (c !== ' ' && c !== '\t' && c !== '\n') return;
      this.at += 1;
    }
  }

  private atEnd(): boolean {
    return this.at >= this.text.length;
  }

  /** A `#` that starts a comment: after a blank or at a line start (elsewhere it is trickier). */
  private atComment(): boolean {
    if (this.char() !== '#') return false;
    const before = this.text.charAt(this.at - 1);
    if (this.at === 0 || before === ' ' || before === '\t' || before === '\n') return true;
    return bail();
  }

  private comment(): FastBashNode {
    const newline = this.text.indexOf('\n', this.at);
    return this.leaf('comment', true, (newline === -1 ? this.text.length : newline) - this.at);
  }

  /** `keyword` as a whole word here. */
  private atKeyword(keyword: string): boolean {
    if (!this.startsWith(keyword)) return false;
    const after = this.text.charAt(this.at + keyword.length);
    return after === '' || after === ' ' || after === '\t' || after === '\n' || after === ';';
  }

  // Statements

  /**
   * Statements up to `closer` (not consumed): each ends with a newline
   * (hidden), a `;` (a child) or, before `)` and the end of the file,
   * nothing.
   */
  private statements(closer: 'eof' | ')' | '}' | 'if'): Block {
    const block: Block = { children: [], fields: [], pending: [], end: this.at };
    let afterAssignments = false;
    for (;;) {
      this.skipBlanksAndNewlines();
      if (this.atEnd()) {
        if (closer !== 'eof') bail();
        return block;
      }
      if (this.atComment()) {
        block.pending.push(this.comment());
        continue;
      }
      if (closer === ')' && this.char() === ')') return block;
      if (closer === '}' && this.char() === '}') return block;
      if (closer === 'if' && (this.atKeyword('elif') || this.atKeyword('else') || this.atKeyword('fi'))) {
        if (afterAssignments && !this.atKeyword('fi')) bail(); // see below
        return block;
      }
      this.flush(block);
      const statement = this.andOr();
      // tree-sitter may read `a=1 b=2`, newlines and a command (`else`, `elif`, `if …`, too) as one command with
      // assignments first: after several assignments on a line, only more assignments are certain.
      if (afterAssignments && !AFTER_ASSIGNMENTS.has(statement.type)) bail();
      this.add(block, statement);
      this.skipBlanks();
      if (this.atComment()) this.add(block, this.comment());
      const c = this.char();
      if (c === '\n') {
        this.at += 1;
        block.end = this.at;
        // Once set it stays: `a=1 b=2`, `c=1`, then a command is one command to tree-sitter too.
        afterAssignments ||= statement.type === 'variable_assignments';
      } else if (c === ';') {
        if (this.char(1) === ';' || this.char(1) === '&') bail();
        this.add(block, this.leaf(';', false, 1));
      } else if (this.atEnd() ? closer !== 'eof' : !(closer === ')' && c === ')')) {
        bail();
      }
    }
  }

  private add(block: Block, node: FastBashNode, field?: string): void {
    block.children.push(node);
    block.fields.push(field);
    block.end = node.endIndex;
  }

  private flush(block: Block): void {
    for (const comment of block.pending) this.add(block, comment);
    block.pending = [];
  }

  /** Statements joined by && and ||, left to right. */
  private andOr(): FastBashNode {
    let left = this.pipeline();
    for (;;) {
      this.skipBlanks();
      if (!this.startsWith('&&') && !this.startsWith('||')) return left;
      const operator = this.leaf(this.char() === '&' ? '&&' : '||', false, 2);
      this.skipBlanks();
      if (this.atEnd() || this.char() === '\n' || this.char() === '#') bail();
      const right = this.pipeline();
      if (!IN_LIST.has(left.type) || !IN_LIST.has(right.type)) bail();
      left = this.node('list', [left, operator, right]);
    }
  }

  private pipeline(): FastBashNode {
    const first = this.statement();
    this.skipBlanks();
    if (this.char() !== '|' || this.char(1) === '|') return first;
    const children = [first];
    while (this.char() === '|' && this.char(1) !== '|') {
      if (this.char(1) === '&') bail();
      children.push(this.leaf('|', false, 1));
      this.skipBlanks();
      if (this.atEnd() || this.char() === '\n' || this.char() === '#') bail();
      children.push(this.statement());
      this.skipBlanks();
    }
    // Assignments and declarations in a pipeline are read in odd ways by tree-sitter: commands only.
    if (children.some((child) => child.isNamed && child.type !== 'command')) bail();
    return this.node('pipeline', children);
  }

  private statement(): FastBashNode {
    const c = this.char();
    if (c === '[') return this.testCommand();
    if (this.sees(ASSIGNMENT)) return this.assignments();
    if (this.sees(FUNCTION_HEAD)) return this.functionDefinition();
    if (this.atKeyword('if')) return this.ifStatement();
    for (const keyword of DECLARATIONS) if (this.atKeyword(keyword)) return this.declaration(keyword);
    return this.command([]);
  }

  /** `a=1`, `a=1 b=2` (variable_assignments) or `A=1 cmd …` (a command with assignments first). */
  private assignments(): FastBashNode {
    const assignments: FastBashNode[] = [];
    while (this.sees(ASSIGNMENT)) {
      assignments.push(this.assignment());
      this.skipBlanks();
    }
    if (this.atStatementEnd()) {
      if (assignments.length === 1) return assignments[0]!;
      const node = this.node('variable_assignments', assignments);
      // Assignments continued over lines (`a=1 \` then `b=2`) are read otherwise by tree-sitter.
      if (node.text.includes('\n')) bail();
      return node;
    }
    return this.command(assignments);
  }

  private atStatementEnd(): boolean {
    const c = this.char();
    return this.atEnd() || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')' || this.atComment();
  }

  private assignment(): FastBashNode {
    if (this.match(VARIABLE) === '_') bail(); // `_` is a special parameter to tree-sitter
    const name = this.leaf('variable_name', true, this.match(VARIABLE)!.length);
    const operator = this.leaf(this.char() === '+' ? '+=' : '=', false, this.char() === '+' ? 2 : 1);
    const c = this.char();
    if (this.atEnd() || c === ' ' || c === '\t' || c === '\n' || c === ';') {
      return this.node('variable_assignment', [name, operator], ['name', undefined]);
    }
    const value = c === '(' ? this.array() : this.literal('value');
    // `a=(x)b=(y)`: glued assignments read differently.
    if (!isDelimiter(this.char()) && !this.startsWith('\\\n')) bail();
    return this.node('variable_assignment', [name, operator, value], ['name', undefined, 'value']);
  }

  private array(): FastBashNode {
    const children = [this.leaf('(', false, 1)];
    for (;;) {
      this.skipBlanksAndNewlines();
      if (this.atEnd()) bail();
      if (this.char() === ')') break;
      if (this.atComment()) children.push(this.comment());
      else {
        children.push(this.literal('array'));
        const c = this.char();
        if (c !== ' ' && c !== '\t' && c !== '\n' && c !== ')' && !this.startsWith('\\\n')) bail();
      }
    }
    children.push(this.leaf(')', false, 1));
    return this.node('array', children);
  }

  private functionDefinition(): FastBashNode {
    const nameText = /[A-Za-z_][A-Za-z0-9_.+-]*/y;
    const name = this.leaf('word', true, this.match(nameText)!.length);
    if (RESERVED.has(name.text)) bail();
    this.skipBlanks();
    const open = this.leaf('(', false, 1);
    const close = this.leaf(')', false, 1);
    this.skipBlanksAndNewlines();
    if (this.char() !== '{') bail();
    const body = this.compoundStatement();
    return this.node('function_definition', [name, open, close, body], ['name', undefined, undefined, 'body']);
  }

  private compoundStatement(): FastBashNode {
    const open = this.leaf('{', false, 1);
    const block = this.statements('}');
    this.flush(block);
    const close = this.leaf('}', false, 1);
    return this.node('compound_statement', [open, ...block.children, close], fieldsOr([undefined, ...block.fields, undefined]));
  }

  private command(assignments: FastBashNode[]): FastBashNode {
    if (this.atStatementEnd() || this.atReservedWord()) bail();
    const children = assignments;
    const fields: (string | undefined)[] = assignments.map(() => undefined);
    // tree-sitter reads `0a=1`, `é=1` and `a#b=1` as assignments of a kind, `-` and `1` otherwise: plain names only.
    const length = this.wordLength();
    if (length === 0 || !COMMAND_NAME.test(this.text.slice(this.at, this.at + length)) || !isDelimiter(this.text.charAt(this.at + length))) bail();
    const name = this.literal('argument');
    children.push(this.node('command_name', [name]));
    fields.push('name');
    for (;;) {
      this.skipBlanks();
      if (this.atStatementEnd()) break;
      if (this.atReservedWord()) bail();
      children.push(this.literal('argument'));
      fields.push('argument');
    }
    return this.node('command', children, fields);
  }

  /** `export A=1 B` and the like: assignments and bare names only. */
  private declaration(keyword: string): FastBashNode {
    const children = [this.leaf(keyword, false, keyword.length)];
    for (;;) {
      this.skipBlanks();
      if (this.atStatementEnd()) break;
      if (this.sees(ASSIGNMENT)) children.push(this.assignment());
      else {
        const name = this.match(VARIABLE);
        if (name === undefined || !isDelimiter(this.text.charAt(this.at + name.length))) bail();
        children.push(this.leaf('variable_name', true, name.length));
      }
    }
    return this.node('declaration_command', children);
  }

  /** if … then … [elif … then …]… [else …] fi, with one statement as each condition. */
  private ifStatement(): FastBashNode {
    const children = [this.leaf('if', false, 2)];
    const fields: (string | undefined)[] = [undefined];
    this.skipBlanks();
    children.push(this.andOr());
    fields.push('condition');
    const terminator = this.conditionEnd();
    if (terminator !== undefined) {
      children.push(terminator);
      fields.push('condition');
    }
    children.push(this.leaf('then', false, 4));
    fields.push(undefined);
    const body = this.statements('if');
    children.push(...body.children);
    fields.push(...body.fields);
    let pending = body.pending;
    let sawElse = false;
    while (this.atKeyword('elif') || this.atKeyword('else')) {
      if (sawElse) bail();
      children.push(...pending);
      fields.push(...pending.map(() => undefined));
      sawElse = this.atKeyword('else');
      const clause = sawElse ? this.elseClause() : this.elifClause();
      children.push(clause.node);
      fields.push(undefined);
      pending = clause.pending;
    }
    children.push(...pending);
    fields.push(...pending.map(() => undefined));
    children.push(this.leaf('fi', false, 2));
    fields.push(undefined);
    return this.node('if_statement', children, fields);
  }

  /** What ends a condition before `then`: a `;` (returned) or a newline (hidden); `then` must follow. */
  private conditionEnd(): FastBashNode | undefined {
    this.skipBlanks();
    let terminator: FastBashNode | undefined;
    if (this.char() === ';' && this.char(1) !== ';' && this.char(1) !== '&') terminator = this.leaf(';', false, 1);
    else if (this.char() === '\n') this.at += 1;
    else bail();
    this.skipBlanksAndNewlines();
    if (!this.atKeyword('then')) bail();
    return terminator;
  }

  private elifClause(): { node: FastBashNode; pending: FastBashNode[] } {
    const children = [this.leaf('elif', false, 4)];
    this.skipBlanks();
    children.push(this.andOr());
    const terminator = this.conditionEnd();
    if (terminator !== undefined) children.push(terminator);
    return this.clause(children);
  }

  private elseClause(): { node: FastBashNode; pending: FastBashNode[] } {
    return this.clause([this.leaf('else', false, 4)]);
  }

  /** A clause's body; it ends with its last token, a hidden newline included, and leaves later comments to the if. */
  private clause(children: FastBashNode[]): { node: FastBashNode; pending: FastBashNode[] } {
    if (children[0]!.type === 'elif') children.push(this.leaf('then', false, 4));
    const body = this.statements('if');
    // tree-sitter takes blank lines after the last statement into the clause, and maybe the comments among them: not ours.
    if (body.pending.length > 0 || this.text.slice(body.end, this.at).includes('\n')) bail();
    const all = [...children, ...body.children];
    const end = Math.max(body.end, all[all.length - 1]!.endIndex);
    const node = new FastBashNode(this.source, children[0]!.type === 'elif' ? 'elif_clause' : 'else_clause', true, all[0]!.startIndex, end, all, fieldsOr([...children.map(() => undefined), ...body.fields]));
    return { node, pending: body.pending };
  }

  // Tests

  private testCommand(): FastBashNode {
    const double = this.startsWith('[[');
    if (!double && this.char(1) === '[') bail();
    const open = this.leaf(double ? '[[' : '[', false, double ? 2 : 1);
    if (this.char() !== ' ') bail();
    this.skipBlanks();
    const expression = double ? this.testOr() : this.testPrimary(false);
    // Next to && or ||, tree-sitter may read a bare pattern as a word: patterns only in a test of their own.
    if (expression.children[1]?.type !== '==' && expression.children[1]?.type !== '!=' && expression.descendantsOfType('extglob_pattern').length > 0) bail();
    this.skipBlanks();
    const closing = double ? ']]' : ']';
    if (!this.startsWith(closing) || !isDelimiter(this.text.charAt(this.at + closing.length))) bail();
    return this.node('test_command', [open, expression, this.leaf(closing, false, closing.length)]);
  }

  private testOr(): FastBashNode {
    let left = this.testAnd();
    for (;;) {
      this.skipBlanks();
      if (!this.startsWith('||')) return left;
      const operator = this.leaf('||', false, 2);
      this.skipBlanks();
      left = this.node('binary_expression', [left, operator, this.testAnd()], ['left', 'operator', 'right']);
    }
  }

  private testAnd(): FastBashNode {
    let left = this.testPrimary(true);
    for (;;) {
      this.skipBlanks();
      if (!this.startsWith('&&')) return left;
      const operator = this.leaf('&&', false, 2);
      this.skipBlanks();
      left = this.node('binary_expression', [left, operator, this.testPrimary(true)], ['left', 'operator', 'right']);
    }
  }

  /** `-n X`, `-z X` and some file tests, `! …` (in [[ ]]), `X == P`, `X != P`, `X = Y` (in [ ]), `X -eq Y` and the other integer comparisons. */
  private testPrimary(double: boolean): FastBashNode {
    if (double && this.char() === '!' && this.char(1) === ' ') {
      const not = this.leaf('!', false, 1);
      this.skipBlanks();
      return this.node('unary_expression', [not, this.testPrimary(double)], ['operator', undefined]);
    }
    const unary = this.match(TEST_OPERATOR);
    if (unary !== undefined && UNARY_TEST.test(unary)) {
      const operator = this.leaf('test_operator', true, 2);
      this.skipBlanks();
      return this.node('unary_expression', [operator, this.testOperand()], ['operator', undefined]);
    }
    if (unary !== undefined) bail();
    const left = this.testOperand();
    this.skipBlanks();
    const integer = this.match(TEST_OPERATOR);
    let operator: FastBashNode;
    let right: FastBashNode;
    if (integer !== undefined && !UNARY_TEST.test(integer)) {
      operator = this.leaf('test_operator', true, integer.length);
      this.skipBlanks();
      right = this.testOperand();
    } else if ((this.startsWith('==') || this.startsWith('!=')) && this.char(2) === ' ') {
      operator = this.leaf(this.char() === '=' ? '==' : '!=', false, 2);
      this.skipBlanks();
      right = this.testPattern(double, left);
    } else if (!double && this.char() === '=' && this.char(1) === ' ' && PLAIN_OPERAND.has(left.type)) {
      operator = this.leaf('=', false, 1);
      this.skipBlanks();
      right = this.testOperand();
    } else {
      return bail();
    }
    return this.node('binary_expression', [left, operator, right], ['left', 'operator', 'right']);
  }

  private testOperand(): FastBashNode {
    // `~x`, `+x`, `-x`, `!x` are unary expressions in a test.
    if ('~+-!'.includes(this.char())) bail();
    const operand = this.literal('test');
    if (!isDelimiter(this.char())) bail();
    return operand;
  }

  /** The right side of == and !=: a plain word is an extglob_pattern, a quoted string a string. */
  private testPattern(double: boolean, left: FastBashNode): FastBashNode {
    if (!PLAIN_OPERAND.has(left.type)) bail();
    if (this.char() === '"' || this.char() === "'") return this.testOperand();
    // What a bare pattern becomes depends on the left side too (`${v} == a.b` makes a word): `$v` only.
    if (left.type !== 'simple_expansion') bail();
    const pattern = this.match(TEST_PATTERN);
    if (pattern === undefined || !isDelimiter(this.text.charAt(this.at + pattern.length))) bail();
    // In [[ ]] tree-sitter reads `1` as a number but `1a` and `-1` as patterns; digits first are left to it elsewhere.
    if (/^[0-9]/.test(pattern)) {
      if (!double || !/^[0-9]+$/.test(pattern)) bail();
      return this.leaf('number', true, pattern.length);
    }
    // Its pattern scanner takes `y`, `x86_64` and `a_b` as patterns, but `roc` and `a.b` as words and `-x` as
    // a test, depending on the neighbours too: a letter, then a digit or _ (or nothing), then letters and digits.
    if (!/^[A-Za-z_]([0-9_][A-Za-z0-9_]*)?$/.test(pattern)) bail();
    return this.leaf('extglob_pattern', true, pattern.length);
  }

  // Words

  /** One word: a primary (word, number, string, raw string, expansion, $(…)) or several glued into a concatenation. */
  private literal(place: LiteralPlace): FastBashNode {
    const parts: FastBashNode[] = [];
    for (;;) {
      const c = this.char();
      if (c === "'") {
        const close = this.text.indexOf("'", this.at + 1);
        if (close === -1) bail();
        parts.push(this.leaf('raw_string', true, close + 1 - this.at));
      } else if (c === '"') {
        parts.push(this.string());
      } else if (c === '$') {
        parts.push(this.dollar());
      } else if (this.atEnd() || c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')') {
        break;
      } else {
        const length = this.wordLength();
        // `{`, `}`, `[`, `]`, `(`, `<`, `>`, a backslash or a backquote: brace expressions, globs, redirects, escapes.
        if (length === 0) bail();
        // `#` glued to a word and `=` starting one (outside a value) are read in other ways by tree-sitter.
        if (c === '#' || (c === '=' && place !== 'value')) bail();
        // tree-sitter's number token wins over a word of the same length (`1`, `-1`, `0x1f`, `2#101`); `1#` and
        // `1#$x` are other number forms.
        const numeric = c === '-' || (c >= '0' && c <= '9');
        const text = this.text.slice(this.at, this.at + length);
        if (numeric && text.includes('#') && !NUMBER.test(text)) bail();
        const number = numeric && NUMBER.test(text);
        parts.push(this.leaf(number ? 'number' : 'word', true, length));
      }
    }
    if (parts.length === 0) bail();
    if (parts.length === 1) return parts[0]!;
    // tree-sitter splits `$p/u/$q/L`, `1$x$y/z` and `"x"$p/u` before the later `$name`: a `$name` comes first
    // or after plain words only.
    for (let index = 1; index < parts.length; index += 1) {
      if (parts[index]!.type === 'simple_expansion' && parts.slice(0, index).some((part) => part.type !== 'word')) bail();
    }
    return this.node('concatenation', parts);
  }

  private string(): FastBashNode {
    const children = [this.leaf('"', false, 1)];
    for (;;) {
      const c = this.char();
      if (this.atEnd() || c === '`') bail();
      if (c === '"') break;
      if (c === '\n') {
        // tree-sitter skips a newline inside quotes as whitespace: it splits the string_content.
        this.at += 1;
      } else if (c === '$') {
        if (this.char(1) === '"') children.push(this.leaf('$', false, 1));
        else children.push(this.dollar());
      } else {
        const start = this.at;
        // tree-sitter may skip a run of blanks alone (before `$` or the closing quote) or line continuations
        // as whitespace, folding them into the next token: not ours.
        while (!this.atEnd()) {
          const d = this.char();
          if (d === '"' || d === '`' || d === '$' || d === '\n') break;
          if (d === '\\') {
            if (this.at + 1 >= this.text.length || this.char(1) === '\n') bail();
            this.at += 2;
          } else this.at += 1;
        }
        if (/^[ \t]*$/.test(this.text.slice(start, this.at))) bail();
        children.push(new FastBashNode(this.source, 'string_content', true, start, this.at));
      }
    }
    children.push(this.leaf('"', false, 1));
    return this.node('string', children);
  }

  /** `$name`, `${…}` or `$(…)`; special parameters, `$((…))`, `$'…'` and `$"…"` go to tree-sitter. */
  private dollar(): FastBashNode {
    const next = this.char(1);
    if (next === '{') return this.expansion();
    if (next === '(') {
      if (this.char(2) === '(') bail();
      return this.commandSubstitution();
    }
    if (!/[A-Za-z_]/.test(next)) bail();
    if (this.text.startsWith('$_', this.at) && !/\w/.test(this.char(2))) bail(); // $_ is a special parameter
    const dollar = this.leaf('$', false, 1);
    const name = this.leaf('variable_name', true, this.match(/\w+/y)!.length);
    if (this.text.charCodeAt(this.at) >= 128) bail(); // tree-sitter's names take Unicode letters (`$xé`)
    return this.node('simple_expansion', [dollar, name]);
  }

  private commandSubstitution(): FastBashNode {
    const open = this.leaf('$(', false, 2);
    const block = this.statements(')');
    this.flush(block);
    if (block.children.length === 0) bail();
    const close = this.leaf(')', false, 1);
    return this.node('command_substitution', [open, ...block.children, close], fieldsOr([undefined, ...block.fields, undefined]));
  }

  /** `${v}`, `${v[i]}`, `${#v}`, and ${v} with :- - :+ + := = # ## % %% / // /# /% ,, ^^ , ^ or :N:M. */
  private expansion(): FastBashNode {
    const children = [this.leaf('${', false, 2)];
    const fields: (string | undefined)[] = [undefined];
    const operator = (length: number): void => {
      children.push(this.leaf(this.text.slice(this.at, this.at + length), false, length));
      fields.push('operator');
    };
    const part = (node: FastBashNode): void => {
      children.push(node);
      fields.push(undefined);
    };
    const length = this.char() === '#';
    if (length) operator(1);
    const parameter = this.match(VARIABLE);
    if (parameter === undefined || parameter === '_') bail();
    part(this.parameter());
    if (length) {
      if (this.char() !== '}') bail();
    } else {
      const two = this.text.slice(this.at, this.at + 2);
      const one = this.char();
      if (one === '}') {
        // ${v}
      } else if ([':-', ':+', ':=', ':?'].includes(two) || ['-', '+', '=', '?'].includes(one)) {
        operator(one === ':' ? 2 : 1);
        if (this.char() !== '}') part(this.expansionOperand());
      } else if (['%%', '##'].includes(two) || one === '%' || one === '#') {
        operator(two === '%%' || two === '##' ? 2 : 1);
        const pattern = this.match(EXPANSION_PATTERN) ?? bail();
        part(this.leaf('regex', true, pattern.length));
      } else if (one === '/') {
        operator(['//', '/#', '/%'].includes(two) ? 2 : 1);
        const pattern = this.match(EXPANSION_PATTERN) ?? bail();
        part(this.leaf('regex', true, pattern.length));
        if (this.char() !== '/') bail();
        operator(1);
        const replacement = this.match(EXPANSION_REPLACEMENT) ?? bail();
        part(this.leaf('word', true, replacement.length));
      } else if (two === ',,' || two === '^^') {
        operator(2);
      } else if (one === ',' || one === '^') {
        operator(1);
      } else if (one === ':') {
        operator(1);
        const offset = this.match(/[0-9]+/y) ?? bail();
        part(this.leaf('number', true, offset.length));
        if (this.char() === ':') {
          operator(1);
          const count = this.match(/[0-9]+/y) ?? bail();
          part(this.leaf('number', true, count.length));
        }
      } else {
        bail();
      }
      if (this.char() !== '}') bail();
    }
    children.push(this.leaf('}', false, 1));
    fields.push(undefined);
    return this.node('expansion', children, fields);
  }

  /** `v` or `v[@]`, `v[*]`, `v[N]` inside ${…}. */
  private parameter(): FastBashNode {
    const name = this.leaf('variable_name', true, this.match(VARIABLE)!.length);
    if (this.char() !== '[') return name;
    const open = this.leaf('[', false, 1);
    const digits = this.match(/[0-9]+/y);
    let index: FastBashNode;
    if (digits !== undefined) index = this.leaf('number', true, digits.length);
    else if (this.char() === '@' || this.char() === '*') index = this.leaf('word', true, 1);
    else return bail();
    if (this.char() !== ']') bail();
    const close = this.leaf(']', false, 1);
    return this.node('subscript', [name, open, index, close], ['name', undefined, 'index', undefined]);
  }

  /** The word after `${v:-` and its kin: plain text, quotes and expansions, glued. */
  private expansionOperand(): FastBashNode {
    const parts: FastBashNode[] = [];
    while (this.char() !== '}') {
      const c = this.char();
      if (c === '"') parts.push(this.string());
      else if (c === "'") {
        const close = this.text.indexOf("'", this.at + 1);
        if (close === -1) bail();
        parts.push(this.leaf('raw_string', true, close + 1 - this.at));
      } else if (c === '$') {
        if (this.char(1) === '(') bail();
        parts.push(this.dollar());
      } else {
        const word = this.match(EXPANSION_WORD) ?? bail();
        parts.push(this.leaf('word', true, word.length));
      }
    }
    return parts.length === 1 ? parts[0]! : this.node('concatenation', parts);
  }
}

function isDelimiter(c: string): boolean {
  return c === '' || c === ' ' || c === '\t' || c === '\n' || c === ';' || c === ')' || c === '|' || c === '&';
}

function fieldsOr(fields: (string | undefined)[]): (string | undefined)[] | undefined {
  return fields.some((field) => field !== undefined) ? fields : undefined;
}
