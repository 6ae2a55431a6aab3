import assert from 'node:assert/strict';
import { parseAql } from '../parse/parse.js';
import { shape } from '../testing/ast-shape.js';
import { AQL_NODE_KINDS } from './nodes.js';
import type { AqlNode, AqlNodeKind } from './nodes.js';
import { formatAql } from './printer.js';
import { childrenOf, findAll, visitAql, walkAql } from './visitor.js';
import type { AqlVisitor } from './visitor.js';

/** A query that contains a node of every kind (not a valid query: the checks would refuse parts of it). */
const EVERY_KIND = `
SELECT TOP 3 c/name/value AS n, COUNT(*), LENGTH('x'), NULL, true, -1.5, '2021-01-01'
FROM EHR e[ehr_id/value = $ehr]
  CONTAINS (VERSION v[LATEST_VERSION] CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.x.v1] AND (EHR_STATUS s OR FOLDER f))
WHERE NOT c/x LIKE 'a*'
  AND (c/items[at0001, SNOMED-CT::123 and name/value matches {/^a/} or at0002]/value MATCHES {'a'} OR c/y MATCHES {terminology://x})
  AND EXISTS c/z AND c/w = 1
ORDER BY c/name/value
LIMIT 1`;

describe('AQL visitor', () => {
  const query = parseAql(EVERY_KIND);

  it('walks to a node of every kind', () => {
    const seen = new Set<AqlNodeKind>();
    walkAql(query, (node) => {
      seen.add(node.kind);
    });
    assert.deepEqual(
      AQL_NODE_KINDS.filter((kind) => !seen.has(kind)),
      [],
    );
  });

  it('visits children in query order and can skip a subtree', () => {
    const attributes: string[] = [];
    walkAql(query.select, (node) => {
      if (node.kind === 'aggregate') {
        return false;
      }
      if (node.kind === 'pathStep') {
        attributes.push(node.attribute);
      }
      return undefined;
    });
    assert.deepEqual(attributes, ['name', 'value']);
    assert.deepEqual(
      childrenOf(query).map((node) => node.kind),
      ['select', 'contains', 'and', 'orderBy', 'limit'],
    );
  });

  it('passes the ancestors of each node', () => {
    const chains: string[] = [];
    walkAql(query, (node, ancestors) => {
      if (node.kind === 'nodeCode' && node.code === 'at0002') {
        chains.push(ancestors.map((ancestor) => ancestor.kind).join(' > '));
      }
    });
    assert.deepEqual(chains, [
      'query > and > or > matches > identifiedPath > pathStep > predicateOr > nodePredicate',
    ]);
  });

  it('dispatches on the kind with a handler per kind', () => {
    const depth: AqlVisitor<number> = Object.fromEntries(
      AQL_NODE_KINDS.map((kind) => [kind, (node: AqlNode) => 1 + Math.max(0, ...childrenOf(node).map((child) => visitAql(child, depth)))]),
    ) as unknown as AqlVisitor<number>;
    assert.equal(visitAql(parseAql('SELECT e FROM EHR e').select, depth), 3);
  });

  it('finds all nodes of a kind', () => {
    assert.deepEqual(
      findAll(query, 'parameter').map((parameter) => parameter.name),
      ['ehr'],
    );
    assert.deepEqual(
      findAll(query, 'classExpr').map((node) => node.rmType),
      ['EHR', 'COMPOSITION', 'EHR_STATUS', 'FOLDER'],
    );
  });
});

describe('formatAql', () => {
  it('prints a query that parses back to the same tree', () => {
    const query = parseAql(EVERY_KIND);
    const printed = formatAql(query);
    const omit = ['position', 'source'];
    assert.deepEqual(shape(parseAql(printed), omit), shape(query, omit));
  });

  it('writes keywords upper case and brackets only where needed', () => {
    assert.equal(
      formatAql(parseAql("select c/name/value from ehr e contains composition c where not (c/a = 1 or c/b = 'x') and c/d like 'q*' order by c/name/value desc")),
      "SELECT c/name/value FROM EHR e CONTAINS COMPOSITION c WHERE NOT (c/a = 1 OR c/b = 'x') AND c/d LIKE 'q*' ORDER BY c/name/value DESC",
    );
  });

  it('brackets a containment inside AND so it does not swallow its siblings', () => {
    const text = 'SELECT e FROM EHR e CONTAINS ((COMPOSITION c1 CONTAINS OBSERVATION o) AND COMPOSITION c2)';
    assert.equal(formatAql(parseAql(text)), text);
  });

  it('escapes strings so that they read back unchanged', () => {
    const query = parseAql(String.raw`SELECT 'it\'s a\\b' FROM EHR e`);
    assert.equal(formatAql(query.select), String.raw`SELECT 'it\'s a\\b'`);
  });
});
