/**
 * The pieces FHIR search SQL is made of: a parameter list (every value, every archetype id,
 * path and code from a mapping goes in as `$n`; the text holds only structure) and
 * predicates that fold where they are constant, so a parameter that cannot match a mapping
 * removes that mapping from the query instead of adding `false` to it.
 */

export class Params {
  readonly values: unknown[] = [];

  /**
   * The statement with only the parameters its text uses, renumbered in order of first use
   * (planning adds parameters for predicates it then folds away; PostgreSQL refuses a
   * parameter whose type nothing in the text determines).
   */
  static compact(text: string, values: readonly unknown[]): { sql: string; params: unknown[] } {
    const renumbered = new Map<number, number>();
    const params: unknown[] = [];
    const sqlText = text.replace(/\$(\d+)\b/g, (_, n: string) => {
      const index = Number(n);
      let mapped = renumbered.get(index);
      if (mapped === undefined) {
        params.push(values[index - 1]);
        mapped = params.length;
        renumbered.set(index, mapped);
      }
      return `$${mapped}`;
    });
    return { sql: sqlText, params };
  }

  /** A placeholder for one value, with an optional cast (`$3::uuid[]`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

export type Predicate = { readonly kind: 'true' } | { readonly kind: 'false' } | { readonly kind: 'sql'; readonly text: string };

export const TRUE: Predicate = { kind: 'true' };
export const FALSE: Predicate = { kind: 'false' };

export function sql(text: string): Predicate {
  return { kind: 'sql', text };
}

export function and(...parts: readonly Predicate[]): Predicate {
  if (parts.some((p) => p.kind === 'false')) {
    return FALSE;
  }
  const texts = parts.filter((p): p is Extract<Predicate, { kind: 'sql' }> => p.kind === 'sql').map((p) => p.text);
  if (texts.length === 0) {
    return TRUE;
  }
  return sql(texts.length === 1 ? (texts[0] as string) : texts.map((t) => `(${t})`).join(' and '));
}

export function or(...parts: readonly Predicate[]): Predicate {
  if (parts.some((p) => p.kind === 'true')) {
    return TRUE;
  }
  const texts = parts.filter((p): p is Extract<Predicate, { kind: 'sql' }> => p.kind === 'sql').map((p) => p.text);
  if (texts.length === 0) {
    return FALSE;
  }
  return sql(texts.length === 1 ? (texts[0] as string) : texts.map((t) => `(${t})`).join(' or '));
}

export function not(part: Predicate): Predicate {
  switch (part.kind) {
    case 'true':
      return FALSE;
    case 'false':
      return TRUE;
    case 'sql':
      return sql(`not (${part.text})`);
  }
}

/** The predicate as SQL text in parentheses (a constant as `true`/`false`), safe to combine with anything. */
export function render(part: Predicate): string {
  return part.kind === 'sql' ? `(${part.text})` : part.kind;
}
