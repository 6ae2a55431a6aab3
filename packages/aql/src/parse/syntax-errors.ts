/**
 * Collects syntax errors from the ANTLR lexer and parser and words them for the user:
 * where (line, column), what was found and what was expected. Nothing is printed.
 */
import { BaseErrorListener, Parser, Token, Vocabulary } from 'antlr4ng';
import type { ATNSimulator, IntervalSet, RecognitionException, Recognizer } from 'antlr4ng';
import { AqlParser } from '../generated/AqlParser.js';
import type { SourcePosition } from '../ast/nodes.js';

export interface SyntaxProblem {
  readonly position: SourcePosition;
  readonly message: string;
}

/** Token types that stand for a category of input rather than one spelling. */
const CATEGORY_NAMES: ReadonlyMap<number, string> = new Map([
  [Token.EOF, 'end of query'],
  [AqlParser.IDENTIFIER, 'an identifier'],
  [AqlParser.STRING, 'a string'],
  [AqlParser.INTEGER, 'an integer'],
  [AqlParser.REAL, 'a number'],
  [AqlParser.PARAMETER, 'a $parameter'],
  [AqlParser.AT_CODE, 'a node id (at0001)'],
  [AqlParser.ID_CODE, 'a node id (id1)'],
  [AqlParser.ARCHETYPE_HRID, 'an archetype id'],
  [AqlParser.TERM_CODE, 'a coded term (terminology::code)'],
  [AqlParser.URI, 'a URI'],
  [AqlParser.REGEX_PATTERN, 'a {/regular expression/}'],
  [AqlParser.BOOLEAN, 'TRUE or FALSE'],
]);

const MAX_EXPECTED = 8;

const vocabulary = new Vocabulary(AqlParser.literalNames, AqlParser.symbolicNames);

function tokenName(type: number): string {
  const category = CATEGORY_NAMES.get(type);
  if (category) {
    return category;
  }
  const literal = vocabulary.getLiteralName(type);
  const symbolic = vocabulary.getSymbolicName(type);
  if (literal && symbolic && /^'[a-z_]+'$/i.test(literal)) {
    return symbolic; // a keyword: shown the way queries usually spell it
  }
  return literal ?? symbolic ?? String(type);
}

/** Tokens that can start an operand (path, literal, parameter, function or aggregate call). */
const OPERAND_START: ReadonlySet<number> = new Set([
  AqlParser.IDENTIFIER,
  AqlParser.STRING,
  AqlParser.INTEGER,
  AqlParser.REAL,
  AqlParser.MINUS,
  AqlParser.BOOLEAN,
  AqlParser.NULL,
  AqlParser.PARAMETER,
  AqlParser.COUNT,
  AqlParser.MIN,
  AqlParser.MAX,
  AqlParser.SUM,
  AqlParser.AVG,
  AqlParser.CONTAINS,
]);

const AGGREGATES: ReadonlySet<number> = new Set([AqlParser.COUNT, AqlParser.MIN, AqlParser.MAX, AqlParser.SUM, AqlParser.AVG]);

/** Categories first, then keywords, then punctuation and end of query. */
function rank(type: number): number {
  if (CATEGORY_NAMES.has(type) && type !== Token.EOF) {
    return 0;
  }
  return /^'[a-z_]+'$/i.test(vocabulary.getLiteralName(type) ?? '') ? 1 : 2;
}

/** "',' or FROM", "one of: a path, value, $parameter or function call, NOT, EXISTS, '('" */
export function describeExpected(expected: IntervalSet): string {
  let types = expected.toArray();
  const names: string[] = [];
  if (types.includes(AqlParser.IDENTIFIER) && types.includes(AqlParser.STRING) && types.includes(AqlParser.PARAMETER)) {
    names.push('a path, value, $parameter or function call');
    types = types.filter((type) => !OPERAND_START.has(type));
  } else if (types.includes(AqlParser.IDENTIFIER)) {
    types = types.filter((type) => !AGGREGATES.has(type));
  }
  if (types.includes(AqlParser.IDENTIFIER) && !types.includes(AqlParser.ARCHETYPE_HRID)) {
    // Where no node constraint can follow, a node code is only an identifier that looks like one.
    types = types.filter((type) => type !== AqlParser.AT_CODE && type !== AqlParser.ID_CODE);
  }
  types.sort((a, b) => rank(a) - rank(b));
  names.push(...new Set(types.map(tokenName)));
  if (names.length === 0) {
    return 'nothing more';
  }
  if (names.length === 1) {
    return names[0] as string;
  }
  if (names.length === 2) {
    return `${names[0]} or ${names[1]}`;
  }
  const shown = names.slice(0, MAX_EXPECTED).join(', ');
  return `one of: ${shown}${names.length > MAX_EXPECTED ? ', ...' : ''}`;
}

function describeToken(token: Token | null): string {
  if (!token || token.type === Token.EOF) {
    return 'end of query';
  }
  const text = token.text ?? '';
  return `'${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
}

function describeLexerError(message: string): string {
  const match = /token recognition error at: '([\s\S]*)'$/.exec(message);
  const text = match?.[1] ?? '';
  if (text.startsWith("'") || text.startsWith('"')) {
    return `unterminated string literal starting with ${text.slice(0, 20)}`;
  }
  if (text.startsWith('$')) {
    return `'${text}' is not a valid parameter name (a $ must be followed by a letter)`;
  }
  if (text.startsWith('{')) {
    return `unexpected '${text}'; a regular expression is written {/.../}`;
  }
  return `unexpected character '${text}'`;
}

function expectedTokens(parser: Parser, error: RecognitionException | null): IntervalSet | null {
  try {
    return error?.getExpectedTokens() ?? parser.getExpectedTokens();
  } catch {
    return null; // the parser state does not allow computing the set: the message says less
  }
}

/** An ANTLR error listener that records every problem instead of printing it. */
export class SyntaxErrorCollector extends BaseErrorListener {
  readonly problems: SyntaxProblem[] = [];

  override syntaxError<S extends Token, T extends ATNSimulator>(
    recognizer: Recognizer<T>,
    offendingSymbol: S | null,
    line: number,
    column: number,
    message: string,
    error: RecognitionException | null,
  ): void {
    const position = { line, column: column + 1 };
    if (!(recognizer instanceof Parser)) {
      this.problems.push({ position, message: describeLexerError(message) });
      return;
    }
    const found = describeToken(offendingSymbol);
    const expected = expectedTokens(recognizer, error);
    if (message.startsWith('missing ')) {
      this.problems.push({ position, message: `expected ${expected ? describeExpected(expected) : message.slice(8)} before ${found}` });
      return;
    }
    const what = offendingSymbol?.type === Token.EOF ? 'unexpected end of query' : `unexpected ${found}`;
    this.problems.push({ position, message: expected ? `${what}; expected ${describeExpected(expected)}` : what });
  }
}
