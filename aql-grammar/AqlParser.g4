// Parser for the Archetype Query Language (AQL 1.1), written for this project from the
// openEHR QUERY specification (Release 1.1.0).
//
// The grammar is deliberately a little more permissive than the specification where a
// precise error message is better than a syntax error: operands on either side of a
// comparison, any operand inside an aggregate or function call, any operand after LIKE
// or in ORDER BY. The query compiler's checks (packages/aql/src/check) then reject what
// AQL does not allow, naming the construct and its position.
parser grammar AqlParser;

options {
    tokenVocab = AqlLexer;
}

query
    : selectClause fromClause whereClause? orderByClause? limitClause? SEMICOLON? EOF
    ;

// ---------------------------------------------------------------- SELECT

selectClause
    : SELECT DISTINCT? topClause? selectColumn (COMMA selectColumn)*
    ;

// TOP is deprecated in AQL 1.1 in favour of LIMIT.
topClause
    : TOP INTEGER (FORWARD | BACKWARD)?
    ;

selectColumn
    : operand (AS identifier)?
    ;

// ---------------------------------------------------------------- FROM

fromClause
    : FROM containsExpr
    ;

// `A CONTAINS B AND C` reads as `A CONTAINS (B AND C)`: the right-hand side of CONTAINS
// takes a whole containment expression. AND binds tighter than OR.
containsExpr
    : classExpr (NOT? CONTAINS containsExpr)?   # containment
    | LPAREN containsExpr RPAREN                # containsGroup
    | containsExpr AND containsExpr             # containsAnd
    | containsExpr OR containsExpr              # containsOr
    ;

classExpr
    : VERSION alias = identifier? (LBRACKET versionPredicate RBRACKET)?   # versionClass
    | rmType = identifier alias = identifier? pathPredicate?             # rmClass
    ;

versionPredicate
    : LATEST_VERSION
    | ALL_VERSIONS
    | predicateExpr
    ;

// ---------------------------------------------------------------- WHERE

whereClause
    : WHERE condition
    ;

// NOT binds tighter than AND, AND tighter than OR.
condition
    : LPAREN condition RPAREN                         # conditionGroup
    | NOT condition                                   # notCondition
    | condition AND condition                         # andCondition
    | condition OR condition                          # orCondition
    | EXISTS operand                                  # existsCondition
    | operand comparisonOperator operand              # comparisonCondition
    | operand LIKE operand                            # likeCondition
    | operand MATCHES matchesOperand                  # matchesCondition
    | operand NOT? BETWEEN operand AND operand         # betweenCondition
    ;

comparisonOperator
    : EQ | NEQ | GT | GTE | LT | LTE
    ;

matchesOperand
    : LBRACE operand (COMMA operand)* RBRACE   # valueList
    | LBRACE URI RBRACE                        # uriValueSet
    | functionCall                             # functionValueSet
    ;

// ---------------------------------------------------------------- ORDER BY, LIMIT

orderByClause
    : ORDER BY orderByItem (COMMA orderByItem)*
    ;

orderByItem
    : operand (ASCENDING | ASC | DESCENDING | DESC)?
    ;

limitClause
    : LIMIT limit = INTEGER (OFFSET offset = INTEGER)?
    ;

// ---------------------------------------------------------------- operands

operand
    : literal          # literalOperand
    | PARAMETER        # parameterOperand
    | aggregateCall    # aggregateOperand
    | functionCall     # functionOperand
    | identifiedPath   # pathOperand
    ;

literal
    : STRING                      # stringLiteral
    | MINUS? (INTEGER | REAL)     # numberLiteral
    | BOOLEAN                     # booleanLiteral
    | NULL                        # nullLiteral
    ;

aggregateCall
    : COUNT LPAREN STAR RPAREN                                  # countAll
    | name = (COUNT | MIN | MAX | SUM | AVG) LPAREN DISTINCT? operand RPAREN   # aggregateOf
    ;

// CONTAINS doubles as the AQL 1.1 string function CONTAINS(text, part).
functionCall
    : name = (IDENTIFIER | CONTAINS) LPAREN (operand (COMMA operand)*)? RPAREN
    ;

// ---------------------------------------------------------------- paths

// An alias, optionally followed by a path: `c`, `o/data[at0001]/events`.
identifiedPath
    : identifier pathPredicate? (SLASH objectPath)?
    ;

objectPath
    : pathStep (SLASH pathStep)*
    ;

pathStep
    : attributeName = identifier pathPredicate?
    ;

// Predicates: `[at0001]`, `[at0001, 'name']`, `[openEHR-EHR-OBSERVATION.x.v1, $name]`,
// `[$archetype]`, `[name/value = 'x']`, `[ehr_id/value = $id or ehr_id/value = '...']`,
// `[at0001 and value/magnitude > 3]`.
pathPredicate
    : LBRACKET predicateExpr RBRACKET
    ;

predicateExpr
    : predicateTerm                        # predicateSingle
    | predicateExpr AND predicateExpr      # predicateAnd
    | predicateExpr OR predicateExpr       # predicateOr
    ;

predicateTerm
    : nodeConstraint (COMMA nameConstraint)?                 # nodePredicate
    | objectPath comparisonOperator predicateOperand         # comparisonPredicate
    | objectPath MATCHES REGEX_PATTERN                       # regexPredicate
    ;

nodeConstraint
    : AT_CODE
    | ID_CODE
    | ARCHETYPE_HRID
    | PARAMETER
    ;

nameConstraint
    : STRING
    | PARAMETER
    | TERM_CODE
    | AT_CODE
    | ID_CODE
    ;

predicateOperand
    : literal
    | PARAMETER
    | AT_CODE
    | ID_CODE
    | ARCHETYPE_HRID
    | TERM_CODE
    | objectPath
    ;

// ---------------------------------------------------------------- names

// Aliases, RM type names and attribute names. The aggregate function names are
// reserved only where a `(` follows them, so `count` stays usable as an alias, and an
// alias may look like a node code (`id1`).
identifier
    : IDENTIFIER
    | COUNT | MIN | MAX | SUM | AVG
    | AT_CODE | ID_CODE
    ;
