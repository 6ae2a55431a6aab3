/**
 * RM type names as they appear in `_type` and `xsi:type`: a class name, optionally with
 * generic parameters (`DV_INTERVAL<DV_QUANTITY>`). XML has no generics, so the codec
 * writes the base name; the checks accept either form.
 */

export interface TypeName {
  readonly base: string;
  readonly parameters: readonly TypeName[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*/;

/** Type names seen so far (a few hundred at most in practice), parsed once; bounded all the same. */
const parsedNames = new Map<string, TypeName | null>();
const PARSED_NAMES_LIMIT = 10_000;

/** Parses a type name; undefined when it is not of the form NAME or NAME<T, ...>. */
export function parseTypeName(text: string): TypeName | undefined {
  const known = parsedNames.get(text);
  if (known !== undefined) {
    return known ?? undefined;
  }
  const state = { text: text.trim(), at: 0 };
  const read = readTypeName(state);
  const parsed = read && state.at === state.text.length ? freeze(read) : undefined;
  if (parsedNames.size < PARSED_NAMES_LIMIT) {
    parsedNames.set(text, parsed ?? null);
  }
  return parsed;
}

function freeze(name: TypeName): TypeName {
  name.parameters.forEach(freeze);
  Object.freeze(name.parameters);
  return Object.freeze(name);
}

function readTypeName(state: { text: string; at: number }): TypeName | undefined {
  const match = NAME.exec(state.text.slice(state.at));
  if (!match) {
    return undefined;
  }
  state.at += match[0].length;
  const parameters: TypeName[] = [];
  if (state.text[state.at] === '<') {
    do {
      state.at += 1;
      skipSpaces(state);
      const parameter = readTypeName(state);
      if (!parameter) {
        return undefined;
      }
      parameters.push(parameter);
      skipSpaces(state);
    } while (state.text[state.at] === ',');
    if (state.text[state.at] !== '>') {
      return undefined;
    }
    state.at += 1;
  }
  return { base: match[0], parameters };
}

function skipSpaces(state: { text: string; at: number }): void {
  while (state.text[state.at] === ' ') {
    state.at += 1;
  }
}

/** The class part of a type name: `DV_INTERVAL<DV_COUNT>` gives `DV_INTERVAL`. */
export function baseTypeName(text: string): string {
  return parseTypeName(text)?.base ?? text;
}
