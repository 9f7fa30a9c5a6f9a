// A CHECK constraint's expression as CockroachDB shows it. The engine keeps the constraint as
// PostgreSQL deparses it (`((x + y) > 0)`, `(price > (0)::numeric)`, `(s = ANY (ARRAY['a'::text]))`);
// CockroachDB keeps the expression type-checked, and prints it
//   - for display (SHOW CREATE TABLE, the violation error): operands that are operators in
//     parentheses, every constant with its type annotated: `(x + y) > 0:::INT8`, `s IN ('a':::STRING)`;
//   - for pg_catalog (SHOW CONSTRAINTS' details): without annotations, non-numeric constants cast:
//     `s IN ('a'::STRING)` (tree.FmtPGCatalog).
// This module reads the engine's text with the project's lexer into a small expression tree, types
// its constants from the columns they meet, and prints that tree CockroachDB's way. What it does not
// read (CASE, subscripts, subqueries) is shown as the engine wrote it, without its outer parentheses.
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import { crdbType } from './crdbTypeNames';
import { isPunct, isWord, tokensOf } from './rewrite';

export type CheckFormat = 'display' | 'pg-catalog';

type Node =
  | { kind: 'constant'; value: string; literal: 'number' | 'string' | 'bool' | 'null'; type: string | undefined }
  | { kind: 'column'; name: string }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'cast'; operand: Node; type: string }
  | { kind: 'binary'; operator: string; left: Node; right: Node }
  | { kind: 'logic'; operator: 'AND' | 'OR'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'is'; operand: Node; test: string }
  | { kind: 'in'; operand: Node; list: Node[]; negated: boolean }
  | { kind: 'between'; operand: Node; low: Node; high: Node; negated: boolean }
  | { kind: 'tuple'; items: Node[] };

class Unreadable extends Error {}

/** PostgreSQL's operators CockroachDB spells otherwise. */
const OPERATORS = new Map([
  ['<>', '!='],
  ['~~', 'LIKE'],
  ['!~~', 'NOT LIKE'],
  ['~~*', 'ILIKE'],
  ['!~~*', 'NOT ILIKE'],
]);
const COMPARISONS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=', '~~', '!~~', '~~*', '!~~*']);
const ADDITIVE = new Set(['+', '-', '||']);
const MULTIPLICATIVE = new Set(['*', '/', '%', '//']);
/** Type names PostgreSQL prints in more than one word, after `::`. */
const MULTI_WORD_TYPES = [
  'double precision',
  'character varying',
  'timestamp with time zone',
  'timestamp without time zone',
  'time with time zone',
  'time without time zone',
  'bit varying',
];

class Reader {
  private i = 0;

  /** `engine`: PostgreSQL's deparsed text; `written`: the expression as the statement wrote it. */
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: 'engine' | 'written' = 'engine',
  ) {}

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private take(): Token {
    const token = this.tokens[this.i++];
    if (!token) throw new Unreadable();
    return token;
  }

  private expect(value: string): void {
    if (!isPunct(this.peek(), value)) throw new Unreadable();
    this.i++;
  }

  private acceptWord(...words: string[]): boolean {
    if (!words.every((word, k) => isWord(this.peek(k), word))) return false;
    this.i += words.length;
    return true;
  }

  expression(): Node {
    let left = this.conjunction();
    while (this.acceptWord('or')) left = { kind: 'logic', operator: 'OR', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Node {
    let left = this.negation();
    while (this.acceptWord('and')) left = { kind: 'logic', operator: 'AND', left, right: this.negation() };
    return left;
  }

  private negation(): Node {
    if (this.acceptWord('not')) return { kind: 'not', operand: this.negation() };
    return this.test();
  }

  private test(): Node {
    let operand = this.comparison();
    for (;;) {
      if (!isWord(this.peek(), 'is')) return operand;
      this.i++;
      const negated = this.acceptWord('not');
      const what = this.take();
      if (!isWord(what, 'null', 'true', 'false', 'unknown')) throw new Unreadable();
      operand = { kind: 'is', operand, test: `${negated ? 'NOT ' : ''}${what.value.toUpperCase()}` };
    }
  }

  /** The operator at the reader, its characters joined: the lexer reads PostgreSQL's `~~` as `~` and `~`. */
  private operator(): { value: string; tokens: number } | undefined {
    let value = '';
    let count = 0;
    for (let token = this.peek(); token?.kind === 'op'; token = this.peek(count)) {
      const previous = this.peek(count - 1);
      if (count > 0 && previous?.end !== token.start) break;
      value += token.value;
      count++;
    }
    return count === 0 ? undefined : { value, tokens: count };
  }

  private comparison(): Node {
    const left = this.additive();
    // The forms a CHECK is written in (the engine keeps BETWEEN as two comparisons, IN as = ANY).
    const negated = isWord(this.peek(), 'not') && isWord(this.peek(1), 'between', 'in', 'like', 'ilike');
    if (negated) this.i++;
    if (this.acceptWord('between')) {
      if (this.source !== 'written') throw new Unreadable();
      const low = this.additive();
      if (!this.acceptWord('and')) throw new Unreadable();
      return { kind: 'between', operand: left, low, high: this.additive(), negated };
    }
    if (isWord(this.peek(), 'in') && isPunct(this.peek(1), '(')) {
      this.i += 2;
      const list = this.list(')');
      this.expect(')');
      return { kind: 'in', operand: left, list, negated };
    }
    if (isWord(this.peek(), 'like', 'ilike')) {
      const word = this.take().value.toUpperCase();
      return { kind: 'binary', operator: `${negated ? 'NOT ' : ''}${word}`, left, right: this.additive() };
    }
    if (negated) throw new Unreadable();
    const found = this.operator();
    if (!found || !COMPARISONS.has(found.value)) return left;
    this.i += found.tokens;
    const token = { value: found.value };
    // `x = ANY (ARRAY[…])` is how PostgreSQL keeps `x IN (…)`; `x <> ALL (ARRAY[…])` is NOT IN.
    const quantifier = this.peek();
    if (isWord(quantifier, 'any', 'all') && isPunct(this.peek(1), '(')) {
      const any = quantifier?.value === 'any';
      if ((any && token.value !== '=') || (!any && token.value !== '<>')) throw new Unreadable();
      this.i++;
      this.expect('(');
      const list = this.arrayItems();
      this.expect(')');
      return { kind: 'in', operand: left, list, negated: !any };
    }
    return { kind: 'binary', operator: OPERATORS.get(token.value) ?? token.value, left, right: this.additive() };
  }

  /** `ARRAY[a, b]`, possibly cast as a whole (`(ARRAY[…])::text[]`). */
  private arrayItems(): Node[] {
    const parenthesised = isPunct(this.peek(), '(');
    if (parenthesised) this.i++;
    if (!this.acceptWord('array')) throw new Unreadable();
    this.expect('[');
    const items = this.list(']');
    this.expect(']');
    if (parenthesised) {
      this.expect(')');
      if (this.peek()?.kind === 'op' && this.peek()?.value === '::') {
        this.i++;
        this.castType();
      }
    }
    return items;
  }

  private list(close: string): Node[] {
    const items: Node[] = [];
    if (isPunct(this.peek(), close)) return items;
    for (;;) {
      items.push(this.expression());
      if (!isPunct(this.peek(), ',')) return items;
      this.i++;
    }
  }

  private additive(): Node {
    let left = this.multiplicative();
    for (let token = this.peek(); token?.kind === 'op' && ADDITIVE.has(token.value); token = this.peek()) {
      this.i++;
      left = { kind: 'binary', operator: token.value, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): Node {
    let left = this.unary();
    for (let token = this.peek(); token?.kind === 'op' && MULTIPLICATIVE.has(token.value); token = this.peek()) {
      this.i++;
      left = { kind: 'binary', operator: token.value, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    const token = this.peek();
    if (token?.kind === 'op' && token.value === '-') {
      this.i++;
      const operand = this.unary();
      if (operand.kind === 'constant' && operand.literal === 'number') return { ...operand, value: negate(operand.value) };
      throw new Unreadable();
    }
    return this.postfix();
  }

  private postfix(): Node {
    let node = this.primary();
    while (this.peek()?.kind === 'op' && this.peek()?.value === '::') {
      // A written cast names CockroachDB's types (INT is INT8 there, INT4 in the engine): not read.
      if (this.source === 'written') throw new Unreadable();
      this.i++;
      const type = crdbType(this.castType());
      // A constant's cast is its type: CockroachDB annotates the constant instead.
      if (node.kind === 'constant' && node.literal !== 'null') node = { ...constantOfType(node, type), type };
      else node = { kind: 'cast', operand: node, type };
    }
    return node;
  }

  /** The type after `::`, in PostgreSQL's words (`timestamp with time zone`, `numeric(10,2)`, `text[]`). */
  private castType(): string {
    const words: string[] = [];
    for (const spelling of MULTI_WORD_TYPES) {
      const parts = spelling.split(' ');
      if (parts.every((part, k) => isWord(this.peek(k), part))) {
        this.i += parts.length;
        words.push(spelling);
        break;
      }
    }
    if (words.length === 0) {
      const name = this.take();
      if (name.kind !== 'ident' && name.kind !== 'qident') throw new Unreadable();
      words.push(name.value);
    }
    let type = words.join(' ');
    if (isPunct(this.peek(), '(')) {
      const args: string[] = [];
      this.i++;
      while (!isPunct(this.peek(), ')')) {
        const token = this.take();
        if (token.kind === 'number') args.push(token.value);
      }
      this.i++;
      type += `(${args.join(',')})`;
    }
    while (isPunct(this.peek(), '[') && isPunct(this.peek(1), ']')) {
      this.i += 2;
      type += '[]';
    }
    return type;
  }

  private primary(): Node {
    const token = this.take();
    if (token.kind === 'number') return { kind: 'constant', value: token.value, literal: 'number', type: undefined };
    if (token.kind === 'string') return { kind: 'constant', value: token.value, literal: 'string', type: undefined };
    if (isPunct(token, '(')) {
      const items = this.list(')');
      this.expect(')');
      const only = items[0];
      if (items.length === 1 && only) return only;
      return { kind: 'tuple', items };
    }
    if (token.kind === 'qident') return this.columnOrCall(token.value);
    if (token.kind !== 'ident') throw new Unreadable();
    if (isWord(token, 'true', 'false')) return { kind: 'constant', value: token.value, literal: 'bool', type: 'BOOL' };
    if (isWord(token, 'null')) return { kind: 'constant', value: 'NULL', literal: 'null', type: undefined };
    if (isWord(token, 'row') && isPunct(this.peek(), '(')) {
      this.i++;
      const items = this.list(')');
      this.expect(')');
      return { kind: 'tuple', items };
    }
    if (isWord(token, 'case', 'array', 'select', 'exists', 'interval')) throw new Unreadable();
    return this.columnOrCall(token.value);
  }

  private columnOrCall(name: string): Node {
    if (isPunct(this.peek(), '(')) {
      this.i++;
      const args = this.list(')');
      this.expect(')');
      return { kind: 'call', name, args };
    }
    // `t.a`: CockroachDB keeps a CHECK's columns unqualified.
    if (isPunct(this.peek(), '.')) {
      this.i++;
      const column = this.take();
      if (column.kind !== 'ident' && column.kind !== 'qident') throw new Unreadable();
      return { kind: 'column', name: column.value };
    }
    return { kind: 'column', name };
  }
}

function negate(value: string): string {
  return value.startsWith('-') ? value.slice(1) : `-${value}`;
}

/** `'-100'::integer` is how PostgreSQL keeps the number -100: a string cast to a number type is that number. */
function constantOfType(node: Extract<Node, { kind: 'constant' }>, type: string): Extract<Node, { kind: 'constant' }> {
  if (node.literal === 'string' && NUMBER_TYPES.has(baseType(type)) && /^-?\d+(\.\d+)?$/.test(node.value))
    return { ...node, literal: 'number' };
  return node;
}

const INTEGER_TYPES = new Set(['INT2', 'INT4', 'INT8']);
const NUMBER_TYPES = new Set([...INTEGER_TYPES, 'DECIMAL', 'FLOAT4', 'FLOAT8']);
const STRING_TYPES = new Set(['STRING', 'VARCHAR', 'CHAR']);

function baseType(type: string): string {
  const open = type.indexOf('(');
  return open === -1 ? type : type.slice(0, open);
}

/** Types of the results of the functions CHECK constraints commonly call. */
const FUNCTION_TYPES = new Map([
  ['length', 'INT8'],
  ['char_length', 'INT8'],
  ['character_length', 'INT8'],
  ['octet_length', 'INT8'],
  ['bit_length', 'INT8'],
  ['array_length', 'INT8'],
  ['cardinality', 'INT8'],
  ['lower', 'STRING'],
  ['upper', 'STRING'],
  ['btrim', 'STRING'],
  ['ltrim', 'STRING'],
  ['rtrim', 'STRING'],
  ['substring', 'STRING'],
  ['substr', 'STRING'],
  ['concat', 'STRING'],
  ['now', 'TIMESTAMPTZ'],
  ['current_date', 'DATE'],
]);

/** The type an expression evaluates to, as far as a constant beside it needs it. */
function typeOf(node: Node, columns: ReadonlyMap<string, string>): string | undefined {
  switch (node.kind) {
    case 'constant':
      return node.type;
    case 'column':
      return columns.get(node.name);
    case 'cast':
      return node.type;
    case 'call': {
      const known = FUNCTION_TYPES.get(node.name);
      if (known) return known;
      // abs, round, greatest, least…: the type of what they are given.
      for (const arg of node.args) {
        const type = typeOf(arg, columns);
        if (type) return type;
      }
      return undefined;
    }
    case 'binary':
      if (COMPARISONS.has(node.operator) || node.operator.includes('LIKE')) return 'BOOL';
      return typeOf(node.left, columns) ?? typeOf(node.right, columns);
    default:
      return 'BOOL';
  }
}

/** The type CockroachDB gives a constant that meets a value of type `partner` (undefined: none known). */
function constantType(node: Extract<Node, { kind: 'constant' }>, partner: string | undefined): string | undefined {
  if (node.literal === 'bool' || node.literal === 'null') return node.type;
  const partnerBase = partner === undefined ? undefined : baseType(partner);
  if (node.literal === 'number') {
    const integral = !node.value.includes('.') && !/e/i.test(node.value);
    if (partnerBase && NUMBER_TYPES.has(partnerBase) && (integral || !INTEGER_TYPES.has(partnerBase))) return partnerBase;
    if (node.type && NUMBER_TYPES.has(baseType(node.type))) return integral ? 'INT8' : baseType(node.type);
    return integral ? 'INT8' : 'DECIMAL';
  }
  if (node.type !== undefined && node.type !== 'STRING' && !node.type.startsWith('VARCHAR') && !node.type.startsWith('CHAR'))
    return baseType(node.type) === 'DECIMAL' ? 'DECIMAL' : node.type;
  if (partnerBase && !STRING_TYPES.has(partnerBase) && partnerBase !== 'BOOL' && !NUMBER_TYPES.has(partnerBase)) return partner;
  return 'STRING';
}

/** Types every constant from what it meets: the other side of its comparison or arithmetic, its IN's operand. */
function typeConstants(node: Node, columns: ReadonlyMap<string, string>, partner: string | undefined): Node {
  switch (node.kind) {
    case 'constant':
      return { ...node, type: constantType(node, partner) };
    case 'binary': {
      const leftType = typeOf(node.left, columns);
      const rightType = typeOf(node.right, columns);
      return {
        ...node,
        left: typeConstants(
          node.left,
          columns,
          leftType === undefined || node.left.kind === 'constant' ? (rightType ?? partner) : leftType,
        ),
        right: typeConstants(
          node.right,
          columns,
          rightType === undefined || node.right.kind === 'constant' ? (leftType ?? partner) : rightType,
        ),
      };
    }
    case 'in': {
      const type = typeOf(node.operand, columns);
      return {
        ...node,
        operand: typeConstants(node.operand, columns, type),
        list: node.list.map((item) => typeConstants(item, columns, type)),
      };
    }
    case 'between': {
      const type = typeOf(node.operand, columns);
      return {
        ...node,
        operand: typeConstants(node.operand, columns, type),
        low: typeConstants(node.low, columns, type),
        high: typeConstants(node.high, columns, type),
      };
    }
    case 'logic':
      return { ...node, left: typeConstants(node.left, columns, undefined), right: typeConstants(node.right, columns, undefined) };
    case 'not':
      return { ...node, operand: typeConstants(node.operand, columns, undefined) };
    case 'is':
      return { ...node, operand: typeConstants(node.operand, columns, undefined) };
    case 'cast': {
      // PostgreSQL casts a VARCHAR or CHAR column to text to compare it; CockroachDB compares it as it is.
      const from = node.operand.kind === 'column' ? columns.get(node.operand.name) : undefined;
      if (node.type === 'STRING' && from !== undefined && STRING_TYPES.has(baseType(from))) return node.operand;
      return { ...node, operand: typeConstants(node.operand, columns, undefined) };
    }
    case 'call': {
      const type = FUNCTION_TYPES.has(node.name) ? undefined : partner;
      return { ...node, args: node.args.map((arg) => typeConstants(arg, columns, typeOf(arg, columns) ?? type)) };
    }
    case 'tuple':
      return { ...node, items: node.items.map((item) => typeConstants(item, columns, undefined)) };
    case 'column':
      return node;
  }
}

/** Operators' operands are parenthesised (CockroachDB's exprFmtWithParen); names, constants and calls are not. */
function isOperator(node: Node): boolean {
  return (
    node.kind === 'binary' ||
    node.kind === 'logic' ||
    node.kind === 'not' ||
    node.kind === 'is' ||
    node.kind === 'in' ||
    node.kind === 'between'
  );
}

function constantText(node: Extract<Node, { kind: 'constant' }>, format: CheckFormat): string {
  if (node.literal === 'bool') return node.value.toLowerCase();
  if (node.literal === 'null') return 'NULL';
  const type = node.type ?? 'STRING';
  if (node.literal === 'number') {
    let value = node.value;
    if ((type === 'FLOAT8' || type === 'FLOAT4') && !/[.e]/i.test(value)) value += '.0';
    if (format === 'pg-catalog') return value;
    return `${value.startsWith('-') ? `(${value})` : value}:::${type}`;
  }
  const literal = `'${node.value.replace(/'/g, "''")}'`;
  return format === 'pg-catalog' ? `${literal}::${type}` : `${literal}:::${type}`;
}

function print(node: Node, format: CheckFormat): string {
  const operand = (child: Node): string => (isOperator(child) ? `(${print(child, format)})` : print(child, format));
  switch (node.kind) {
    case 'constant':
      return constantText(node, format);
    case 'column':
      return quoteIdent(node.name);
    case 'call':
      return `${node.name}(${node.args.map((arg) => print(arg, format)).join(', ')})`;
    case 'cast':
      return `${operand(node.operand)}::${node.type}`;
    case 'binary':
      return `${operand(node.left)} ${node.operator} ${operand(node.right)}`;
    case 'logic':
      return `${operand(node.left)} ${node.operator} ${operand(node.right)}`;
    case 'not':
      return `NOT ${operand(node.operand)}`;
    case 'is':
      return `${operand(node.operand)} IS ${node.test}`;
    case 'in':
      return `${operand(node.operand)} ${node.negated ? 'NOT IN' : 'IN'} (${node.list.map((item) => print(item, format)).join(', ')})`;
    case 'between':
      return `${operand(node.operand)} ${node.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${operand(node.low)} AND ${operand(node.high)}`;
    case 'tuple':
      return `(${node.items.map((item) => print(item, format)).join(', ')})`;
  }
}

/** `CHECK ((…)) NOT VALID`, as pg_get_constraintdef writes it: the expression, and whether it is validated. */
export function checkOfDefinition(definition: string): { expression: string; validated: boolean } {
  let text = definition.trim();
  const validated = !text.endsWith(' NOT VALID');
  if (!validated) text = text.slice(0, -' NOT VALID'.length);
  if (text.startsWith('CHECK ')) text = text.slice('CHECK '.length);
  return { expression: text, validated };
}

/**
 * The engine's CHECK expression (pg_get_constraintdef's, without `CHECK`) in CockroachDB's words;
 * `columns`: the table's column types in CockroachDB's names, to type the constants.
 */
export function checkExpressionText(engineExpression: string, columns: ReadonlyMap<string, string>, format: CheckFormat): string {
  return writtenCheckText(engineExpression, columns, format, 'engine') ?? withoutOuterParentheses(engineExpression.trim());
}

/**
 * A CHECK expression as its statement wrote it, in CockroachDB's words; undefined when it is not
 * read (a cast, a CASE…): the engine's text is shown instead. The engine keeps no BETWEEN; this does.
 */
export function writtenCheckText(
  expression: string,
  columns: ReadonlyMap<string, string>,
  format: CheckFormat,
  source: 'engine' | 'written' = 'written',
): string | undefined {
  try {
    const reader = new Reader(tokensOf(expression), source);
    const tree = reader.expression();
    if (!reader.done()) throw new Unreadable();
    return print(typeConstants(tree, columns, undefined), format);
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    return undefined;
  }
}

function withoutOuterParentheses(text: string): string {
  let result = text;
  while (result.startsWith('(') && result.endsWith(')') && enclosesAll(result)) result = result.slice(1, -1).trim();
  return result;
}

/** Whether the first parenthesis closes at the text's end (`(a) AND (b)` is not enclosed). */
function enclosesAll(text: string): boolean {
  let depth = 0;
  for (const token of tokensOf(text)) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) {
      depth--;
      if (depth === 0 && token.end < text.length) return false;
    }
  }
  return true;
}

/**
 * Functions CockroachDB overloads on their result type: a default calling one is printed with the
 * type it resolved to (`now():::TIMESTAMPTZ`); PostgreSQL prints `CURRENT_TIMESTAMP` for one of them.
 */
const AMBIGUOUS_TIME_FUNCTIONS = new Set(['now', 'current_timestamp', 'transaction_timestamp', 'statement_timestamp']);

/**
 * A column's DEFAULT, as the engine deparses it, in CockroachDB's words when it is a constant or a
 * clock function: `'new':::STRING`, `1:::INT8`, `now():::TIMESTAMPTZ`. Undefined for any other
 * expression (the caller prints it as the engine gives it).
 */
export function defaultExpressionText(engineExpression: string, columnType: string): string | undefined {
  const tokens = tokensOf(engineExpression);
  const only = tokens[0];
  if (tokens.length === 1 && only?.kind === 'ident' && AMBIGUOUS_TIME_FUNCTIONS.has(only.value)) return `${only.value}():::${columnType}`;
  try {
    const reader = new Reader(tokens);
    const tree = reader.expression();
    if (!reader.done()) return undefined;
    if (tree.kind === 'call' && tree.args.length === 0 && AMBIGUOUS_TIME_FUNCTIONS.has(tree.name)) return `${tree.name}():::${columnType}`;
    if (tree.kind !== 'constant') return undefined;
    return print(typeConstants(tree, new Map(), columnType), 'display');
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    return undefined;
  }
}
