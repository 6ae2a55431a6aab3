/**
 * Web template node ids: a node's name made into a FLAT path segment, and ids made unique
 * among siblings.
 */

/**
 * Letters (any script), digits, `.`, `_` and `-` are kept; runs of anything else become
 * one `_`; the result is lower case and starts with a letter (`a` is put in front of a digit).
 */
export function nodeIdFromName(name: string): string {
  const cleaned = name
    .replace(/[^\p{L}0-9._-]+/gu, ' ')
    .trim()
    .replace(/\s+/g, '_')
    .toLowerCase();
  if (cleaned.length === 0) {
    return 'node';
  }
  return /^[0-9]/.test(cleaned) ? `a${cleaned}` : cleaned;
}
