/**
 * AQL text -> AST. Syntax errors are collected (never printed) and thrown as one
 * CdrError (400) whose message says where the query went wrong and what was expected.
 */
import { CharStream, CommonTokenStream, PredictionMode } from 'antlr4ng';
import { AqlLexer } from '../generated/AqlLexer.js';
import { AqlParser } from '../generated/AqlParser.js';
import type { QueryContext } from '../generated/AqlParser.js';
import type { Query } from '../ast/nodes.js';
import { aqlError } from '../errors.js';
import { AstBuilder, RefusedConstruct } from './ast-builder.js';
import { SyntaxErrorCollector } from './syntax-errors.js';

/** Longest query text accepted; longer input is refused before it reaches the parser. */
export const MAX_QUERY_LENGTH = 100_000;

/**
 * Parses one AQL query.
 * @throws CdrError (bad-request) on a syntax error, with issues located by line and column.
 */
export function parseAql(text: string): Query {
  if (text.length > MAX_QUERY_LENGTH) {
    throw aqlError('syntax error', [
      { position: { line: 1, column: 1 }, message: `the query is longer than ${MAX_QUERY_LENGTH} characters` },
    ]);
  }
  const input = CharStream.fromString(text);
  const lexerErrors = new SyntaxErrorCollector();
  const lexer = new AqlLexer(input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(lexerErrors);
  const tokens = new CommonTokenStream(lexer);
  const parserErrors = new SyntaxErrorCollector();
  const parser = new AqlParser(tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(parserErrors);

  const tree = parseTwoStage(parser, tokens, parserErrors);
  // After an unreadable character or the first parse error, ANTLR's recovery tends to
  // report follow-on errors that only confuse; the first real problem is what helps.
  const problems = lexerErrors.problems.length > 0 ? lexerErrors.problems : parserErrors.problems.slice(0, 1);
  if (problems.length > 0) {
    throw aqlError('syntax error', problems);
  }
  try {
    return new AstBuilder(input).query(tree);
  } catch (error) {
    if (error instanceof RefusedConstruct) {
      throw aqlError('error', [error.problem]);
    }
    throw error;
  }
}

/**
 * The usual ANTLR two-stage strategy: the fast SLL prediction first, and only when it
 * reports a problem the full LL prediction (which also gives the better error message).
 */
function parseTwoStage(parser: AqlParser, tokens: CommonTokenStream, errors: SyntaxErrorCollector): QueryContext {
  parser.interpreter.predictionMode = PredictionMode.SLL;
  const tree = parser.query();
  if (errors.problems.length === 0) {
    return tree;
  }
  errors.problems.length = 0;
  tokens.seek(0);
  parser.reset();
  parser.interpreter.predictionMode = PredictionMode.LL;
  return parser.query();
}
