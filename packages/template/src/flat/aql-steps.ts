/**
 * Web template AQL paths as steps, and what a step needs to find or create an RM object.
 */
export interface Step {
  readonly attribute: string;
  readonly nodeId?: string;
  readonly name?: string;
}

const STEP = /\/([a-zA-Z_][a-zA-Z0-9_]*)(?:\[([^\],']+)(?:\s*(?:,|\s+and\s+name\/value=)\s*'((?:[^'\\]|\\.)*)')?\])?/gy;

const cache = new Map<string, readonly Step[]>();

export function aqlSteps(path: string | undefined): readonly Step[] {
  const key = path ?? '';
  const cached = cache.get(key);
  if (cached) {
    return cached;
  }
  const steps: Step[] = [];
  STEP.lastIndex = 0;
  let position = 0;
  while (position < key.length) {
    STEP.lastIndex = position;
    const m = STEP.exec(key);
    if (!m) {
      break;
    }
    position = STEP.lastIndex;
    const step: { attribute: string; nodeId?: string; name?: string } = { attribute: m[1]! };
    if (m[2] !== undefined) {
      step.nodeId = m[2].trim();
    }
    if (m[3] !== undefined) {
      step.name = m[3].replace(/\\(.)/g, '$1');
    }
    steps.push(step);
  }
  cache.set(key, steps);
  return steps;
}

/** The steps of `path` after those of `prefix` (undefined when `prefix` is not a prefix). */
export function relativeSteps(prefix: readonly Step[], path: readonly Step[]): readonly Step[] | undefined {
  if (path.length < prefix.length) {
    return undefined;
  }
  for (let i = 0; i < prefix.length; i++) {
    const a = prefix[i]!;
    const b = path[i]!;
    if (a.attribute !== b.attribute || a.nodeId !== b.nodeId) {
      return undefined;
    }
  }
  return path.slice(prefix.length);
}

/**
 * Which of a node's own steps its FLAT index counts: the node's own step, or, for the
 * value of an ELEMENT the web template leaves out, the ELEMENT's step.
 */
export function indexedStep(steps: readonly Step[]): number {
  const last = steps.length - 1;
  if (last > 0 && steps[last]!.attribute === 'value' && steps[last - 1]!.nodeId !== undefined) {
    return last - 1;
  }
  return last;
}
