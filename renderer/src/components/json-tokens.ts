// Pretty JSON split into tokens for colouring (keys, strings, numbers, literals, punctuation), as a
// pure function: the Inspect panel renders spans, never HTML strings.

export type JsonTokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space';

export interface JsonToken {
  readonly kind: JsonTokenKind;
  readonly text: string;
}

const pattern = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)/g;

/** Tokens of `text` (JSON.stringify output); concatenated, they give `text` back exactly. */
export function jsonTokens(text: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index;
    if (at > last) tokens.push({ kind: 'punct', text: text.slice(last, at) });
    const [whole, str, colon, num, literal, punct] = match;
    if (str !== undefined) {
      tokens.push({ kind: colon ? 'key' : 'string', text: str });
      if (colon) tokens.push({ kind: 'punct', text: colon });
    } else if (num !== undefined) tokens.push({ kind: 'number', text: num });
    else if (literal !== undefined) tokens.push({ kind: 'literal', text: literal });
    else if (punct !== undefined) tokens.push({ kind: 'punct', text: punct });
    else tokens.push({ kind: 'space', text: whole });
    last = at + whole.length;
  }
  if (last < text.length) tokens.push({ kind: 'punct', text: text.slice(last) });
  return tokens;
}
