/**
 * Checks that an element's children follow an XML Schema sequence: known names only,
 * in order, no more often than allowed, mandatory ones present. Used for the parts of an
 * OPT whose shape the OPT 1.4 schema fixes and tools agree on (the template itself and
 * its description).
 */
import type { OptNode } from './opt-node.js';

export interface SequenceItem {
  readonly name: string;
  readonly min: number;
  /** Infinity for unbounded. */
  readonly max: number;
}

export const one = (name: string): SequenceItem => ({ name, min: 1, max: 1 });
export const optional = (name: string): SequenceItem => ({ name, min: 0, max: 1 });
export const many = (name: string, min = 0): SequenceItem => ({ name, min, max: Infinity });

export function checkSequence(node: OptNode, sequence: readonly SequenceItem[]): void {
  const seen = new Map<string, number[]>();
  for (const child of node.element.children) {
    const item = sequence.find((s) => s.name === child.name);
    if (!item) {
      const expected = sequence.map((s) => `<${s.name}>`).join(', ');
      throw node.error(`unexpected element <${child.name}> at line ${child.line} in <${node.name}>; expected only ${expected}`);
    }
    const lines = seen.get(child.name) ?? [];
    lines.push(child.line);
    seen.set(child.name, lines);
    if (lines.length > item.max) {
      throw node.error(
        `<${child.name}> appears ${lines.length === 2 ? 'twice' : `${lines.length} times`} in <${node.name}> (at lines ${lines.join(' and ')}); ` +
          `${item.max === 1 ? 'only one is' : `at most ${item.max} are`} allowed`,
      );
    }
  }
  let position = 0;
  for (const child of node.element.children) {
    const index = sequence.findIndex((item) => item.name === child.name);
    if (index < position) {
      throw node.error(`<${child.name}> at line ${child.line} is out of order in <${node.name}>: it must come before <${sequence[position]!.name}>`);
    }
    position = index;
  }
  for (const item of sequence) {
    if ((seen.get(item.name)?.length ?? 0) < item.min) {
      throw node.error(`required element <${item.name}> is missing in <${node.name}>`);
    }
  }
}
