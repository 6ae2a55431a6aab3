/**
 * Test support: how closely a web template agrees with a reference web template.
 *
 * Nodes are identified by their id path from the root (`root/observation/systolic`).
 * For each reference node we ask whether ours has a node with the same id path (ids),
 * whether ours has a node with the same aqlPath (aqlPaths), and, for nodes found by id
 * path, whether the rmType and the inputs agree (inputs compare suffix, type, the values
 * of coded lists and the terminology; not labels or validation details). Local codes
 * count as the same terminology whether or not `local` is written.
 */
import type { WebTemplate, WebTemplateInput, WebTemplateNode } from '../webtemplate/model.js';

export interface Agreement {
  total: number;
  ids: number;
  aqlPaths: number;
  rmTypes: number;
  inputs: number;
  differences: string[];
}

interface Flat {
  readonly idPath: string;
  readonly node: WebTemplateNode;
}

/**
 * AQL paths in one notation: `[at0001 and name/value='x']` (older web templates) is written
 * `[at0001,'x']`, which means the same.
 */
export function normaliseAqlPath(path: string | undefined): string {
  return (path ?? '').replace(/ and name\/value=/g, ',');
}

function flatten(node: WebTemplateNode, prefix = ''): Flat[] {
  const idPath = prefix ? `${prefix}/${node.id}` : node.id;
  return [{ idPath, node }, ...(node.children ?? []).flatMap((c) => flatten(c, idPath))];
}

export function inputSignature(inputs: readonly WebTemplateInput[] | undefined): string {
  return (inputs ?? [])
    .map((i) => `${i.suffix ?? ''}:${i.type}:${(i.list ?? []).map((v) => v.value).sort().join(',')}:${i.terminology === 'local' ? '' : (i.terminology ?? '')}`)
    .sort()
    .join(' | ');
}

export function compareWebTemplates(ours: WebTemplate, reference: WebTemplate): Agreement {
  const mine = flatten(ours.tree);
  const byIdPath = new Map(mine.map((f) => [f.idPath, f.node]));
  const paths = new Map<string, number>();
  for (const f of mine) {
    const key = normaliseAqlPath(f.node.aqlPath);
    paths.set(key, (paths.get(key) ?? 0) + 1);
  }
  const result: Agreement = { total: 0, ids: 0, aqlPaths: 0, rmTypes: 0, inputs: 0, differences: [] };
  for (const { idPath, node } of flatten(reference.tree)) {
    result.total++;
    const aqlPath = normaliseAqlPath(node.aqlPath);
    const available = paths.get(aqlPath) ?? 0;
    if (available > 0) {
      result.aqlPaths++;
      paths.set(aqlPath, available - 1);
    } else {
      result.differences.push(`aqlPath missing: ${aqlPath} (${idPath})`);
    }
    const match = byIdPath.get(idPath);
    if (!match) {
      result.differences.push(`id path missing: ${idPath}`);
      continue;
    }
    result.ids++;
    if (match.rmType === node.rmType) {
      result.rmTypes++;
    } else {
      result.differences.push(`rmType of ${idPath}: ${match.rmType}, expected ${node.rmType}`);
    }
    const expected = inputSignature(node.inputs);
    const actual = inputSignature(match.inputs);
    if (expected === actual) {
      result.inputs++;
    } else {
      result.differences.push(`inputs of ${idPath}: [${actual}], expected [${expected}]`);
    }
  }
  return result;
}

export function percent(part: number, total: number): string {
  return total === 0 ? '-' : `${((100 * part) / total).toFixed(1)}%`;
}
