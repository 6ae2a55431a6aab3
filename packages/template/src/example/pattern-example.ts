/**
 * A short string matching a regular expression, for the common subset templates use in
 * C_STRING patterns (literals, escapes, classes, groups, alternation, quantifiers).
 * Returns undefined when the pattern is beyond that subset or the result does not match.
 */

interface State {
  readonly pattern: string;
  at: number;
}

function classSample(body: string): string {
  if (body.startsWith('^')) {
    for (const c of 'aA0x_') {
      if (new RegExp(`[${body}]`).test(c)) {
        return c;
      }
    }
    return 'a';
  }
  const escape = /^\\([dwsDWS])/.exec(body);
  if (escape) {
    return shorthand(escape[1]!);
  }
  const first = body[0] === '\\' ? body[1] ?? 'a' : body[0] ?? 'a';
  return first;
}

function shorthand(c: string): string {
  switch (c) {
    case 'd':
      return '1';
    case 'w':
      return 'a';
    case 's':
      return ' ';
    case 'D':
    case 'W':
    case 'S':
      return '-';
    default:
      return c;
  }
}

function alternatives(state: State, until: string | undefined): string {
  const options: string[] = [sequence(state, until)];
  while (state.pattern[state.at] === '|') {
    state.at++;
    options.push(sequence(state, until));
  }
  return options.find((o) => o.length > 0) ?? options[0] ?? '';
}

function sequence(state: State, until: string | undefined): string {
  let out = '';
  while (state.at < state.pattern.length) {
    const c = state.pattern[state.at]!;
    if (c === '|' || c === until) {
      break;
    }
    let atom: string;
    if (c === '(') {
      state.at++;
      if (state.pattern.startsWith('?:', state.at)) {
        state.at += 2;
      }
      atom = alternatives(state, ')');
      state.at++;
    } else if (c === '[') {
      const end = state.pattern.indexOf(']', state.at + 2);
      atom = classSample(state.pattern.slice(state.at + 1, end));
      state.at = end + 1;
    } else if (c === '\\') {
      atom = shorthand(state.pattern[state.at + 1] ?? '');
      state.at += 2;
    } else if (c === '.') {
      atom = 'a';
      state.at++;
    } else if (c === '^' || c === '$') {
      atom = '';
      state.at++;
    } else {
      atom = c;
      state.at++;
    }
    const q = state.pattern[state.at];
    if (q === '*' || q === '?') {
      atom = '';
      state.at++;
    } else if (q === '+') {
      state.at++;
    } else if (q === '{') {
      const end = state.pattern.indexOf('}', state.at);
      const min = Number(state.pattern.slice(state.at + 1, end).split(',')[0] ?? '1');
      atom = atom.repeat(Number.isFinite(min) ? min : 1);
      state.at = end + 1;
    }
    if (state.pattern[state.at] === '?') {
      state.at++;
    }
    out += atom;
  }
  return out;
}

export function patternExample(pattern: string): string | undefined {
  try {
    const candidate = alternatives({ pattern, at: 0 }, undefined);
    return new RegExp(`^(?:${pattern})$`, 'u').test(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}
