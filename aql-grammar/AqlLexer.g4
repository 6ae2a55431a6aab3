// Lexer for the Archetype Query Language (AQL 1.1), written for this project from the
// openEHR QUERY specification (Release 1.1.0, section "AQL syntax").
//
// Decisions (see packages/aql/README.md for the full list):
// - Keywords are case-insensitive (`caseInsensitive` below); node codes (`at0001`, `id5`)
//   keep the lower-case prefix the archetype formalism prescribes.
// - Literal keywords (TRUE, FALSE, NULL) come before IDENTIFIER so that `true` is a
//   boolean, never an alias.
// - Only the aggregate functions are keywords. Every other function (LENGTH, CONTAINS,
//   ABS, NOW, TERMINOLOGY, ...) is an identifier followed by `(`; the query compiler
//   checks the name. This keeps CONTAINS usable both as the containment operator and
//   as the string function, and keeps function names usable as attribute names.
// - Quoted date/time literals are plain strings here; the AST builder recognises the
//   ISO 8601 forms.
// - BETWEEN is recognised so that the compiler can refuse it by name (it is not AQL 1.1).
lexer grammar AqlLexer;

options {
    caseInsensitive = true;
}

channels {
    COMMENTS
}

WHITESPACE    : [ \t\r\n\f]+ -> channel(HIDDEN);
BYTE_ORDER    : '\uFEFF' -> channel(HIDDEN);
LINE_COMMENT  : '--' ~[\r\n]* -> channel(COMMENTS);

// ---- clause keywords ----
SELECT        : 'select';
DISTINCT      : 'distinct';
TOP           : 'top';
FORWARD       : 'forward';
BACKWARD      : 'backward';
AS            : 'as';
FROM          : 'from';
CONTAINS      : 'contains';
WHERE         : 'where';
ORDER         : 'order';
BY            : 'by';
ASCENDING     : 'ascending';
ASC           : 'asc';
DESCENDING    : 'descending';
DESC          : 'desc';
LIMIT         : 'limit';
OFFSET        : 'offset';

// ---- versions ----
VERSION        : 'version';
LATEST_VERSION : 'latest_version';
ALL_VERSIONS   : 'all_versions';

// ---- logical and relational operators ----
AND           : 'and';
OR            : 'or';
NOT           : 'not';
EXISTS        : 'exists';
LIKE          : 'like';
MATCHES       : 'matches';
BETWEEN       : 'between';

// ---- aggregate functions ----
COUNT         : 'count';
MIN           : 'min';
MAX           : 'max';
SUM           : 'sum';
AVG           : 'avg';

// ---- literal keywords: before IDENTIFIER ----
BOOLEAN       : 'true' | 'false';
NULL          : 'null';

// ---- archetype formalism tokens ----
// Node codes are case-sensitive: `at0001` is a code, `AT0001` an identifier.
AT_CODE options { caseInsensitive = false; } : 'at' CODE_NUMBER;
ID_CODE options { caseInsensitive = false; } : 'id' CODE_NUMBER;
fragment CODE_NUMBER : DIGIT+ ('.' DIGIT+)*;

// openEHR-EHR-OBSERVATION.blood_pressure.v2, optionally namespaced (org.openehr::...).
ARCHETYPE_HRID
    : (DOTTED_NAME '::')? HRID_PART '-' HRID_PART '-' HRID_PART '.' CONCEPT '.v' DIGIT+ ('.' DIGIT+)*
      ('-' ('rc' | 'alpha' | 'beta') ('.' DIGIT+)?)?
    ;
fragment HRID_PART   : LETTER WORD_CHAR*;
fragment CONCEPT     : LETTER (WORD_CHAR | '-')*;
fragment DOTTED_NAME : LETTER (WORD_CHAR | '-')* ('.' LETTER (WORD_CHAR | '-')*)*;

// A coded term used as a name constraint: SNOMED-CT::271649006, ISO_639-1::en,
// snomed_ct(3.1)::3415004|cyanosis|
TERM_CODE
    : TERM_CHAR+ ('(' TERM_CHAR+ ')')? '::' TERM_CHAR+ ('|' ~[|\]\r\n]+ '|')?
    ;
fragment TERM_CHAR : WORD_CHAR | '-' | '.';

// A value set reference in MATCHES { terminology://... }. Recognised so it can be refused by name.
URI : LETTER (LETTER | DIGIT | '+' | '-' | '.')* '://' ~[ \t\r\n{},'"]*;

// A regular expression constraint inside a path predicate: matches {/^abc/}.
REGEX_PATTERN : '{' [ \t]* '/' ('\\' . | ~[/\\\r\n])+ '/' [ \t]* '}';

PARAMETER  : '$' LETTER WORD_CHAR*;
IDENTIFIER : LETTER WORD_CHAR*;

// ---- numbers (the sign is a separate token) ----
INTEGER : DIGIT+;
REAL
    : DIGIT+ '.' DIGIT+ EXPONENT?
    | '.' DIGIT+ EXPONENT?
    | DIGIT+ EXPONENT
    ;
fragment EXPONENT : 'e' [+-]? DIGIT+;

// ---- strings: single or double quotes, backslash escapes ----
STRING
    : '\'' ('\\' . | ~['\\])* '\''
    | '"' ('\\' . | ~["\\])* '"'
    ;

// ---- symbols ----
LPAREN    : '(';
RPAREN    : ')';
LBRACKET  : '[';
RBRACKET  : ']';
LBRACE    : '{';
RBRACE    : '}';
COMMA     : ',';
SLASH     : '/';
STAR      : '*';
MINUS     : '-';
SEMICOLON : ';';
EQ        : '=';
NEQ       : '!=' | '<>';   // <> as in SQL, read as !=
LTE       : '<=';
GTE       : '>=';
LT        : '<';
GT        : '>';

fragment LETTER    : [a-z];
fragment DIGIT     : [0-9];
fragment WORD_CHAR : [a-z0-9_];
