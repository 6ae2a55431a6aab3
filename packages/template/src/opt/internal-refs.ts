/**
 * ARCHETYPE_INTERNAL_REF: a node that re-uses the constraint at another path of the same
 * archetype. The tree keeps the reference (so it stays a tree and serialises as JSON);
 * `resolveInternalRef` finds its target.
 */
import type { ArchetypeInternalRef, CArchetypeRoot, CObject } from './model.js';
import { isComplex } from './model.js';
import { resolveArchetypePath } from './template-path.js';

/**
 * The object an internal reference points to, looked up in the archetype that contains
 * the reference (then in the template's root archetype).
 */
export function resolveInternalRef(
  ref: ArchetypeInternalRef,
  enclosingArchetype: CArchetypeRoot,
  templateRoot?: CArchetypeRoot,
): CObject | undefined {
  const target = resolveArchetypePath(enclosingArchetype, ref.targetPath);
  if (target !== undefined && target.kind !== 'ARCHETYPE_INTERNAL_REF') {
    return target;
  }
  if (templateRoot && templateRoot !== enclosingArchetype) {
    const fromRoot = resolveArchetypePath(templateRoot, ref.targetPath);
    if (fromRoot !== undefined && fromRoot.kind !== 'ARCHETYPE_INTERNAL_REF') {
      return fromRoot;
    }
  }
  return undefined;
}

/** Calls `visit` for every internal reference with the archetype root that encloses it. */
export function forEachInternalRef(root: CArchetypeRoot, visit: (ref: ArchetypeInternalRef, archetype: CArchetypeRoot, path: string) => void): void {
  const walk = (object: CObject, archetype: CArchetypeRoot, path: string): void => {
    if (object.kind === 'ARCHETYPE_INTERNAL_REF') {
      visit(object, archetype, path);
      return;
    }
    if (!isComplex(object)) {
      return;
    }
    const enclosing = object.kind === 'C_ARCHETYPE_ROOT' ? object : archetype;
    for (const attribute of object.attributes) {
      for (const child of attribute.children) {
        const id = child.kind === 'C_ARCHETYPE_ROOT' ? child.archetypeId : child.nodeId;
        walk(child, enclosing, `${path}/${attribute.rmAttributeName}${id ? `[${id}]` : ''}`);
      }
    }
  };
  walk(root, root, '');
}
