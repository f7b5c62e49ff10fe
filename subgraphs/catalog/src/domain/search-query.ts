export type ParsedSearch = {
  /** A safe tsquery string for to_tsquery('english', …), or null when the input has no searchable terms. */
  tsquery: string | null;
  /** The plain terms recognised (lower-cased), for highlighting/debugging. */
  terms: string[];
};

export const MAX_SEARCH_LENGTH = 200;
const MAX_TERMS = 12;

// A `-"phrase"` (closing quote optional: an unbalanced quote takes the rest of the input), or a bare word.
const TOKEN = /(-?)"([^"]*)"?|[^\s"]+/gu;
// Only letters and digits survive, so no tsquery operator, quote or backslash can reach the output.
const NON_LEXEME = /[^\p{L}\p{N}]+/gu;

type Term = { lexemes: string[]; negated: boolean; prefix: boolean };

function renderTerm(term: Term): string {
  const body = term.lexemes.join(' <-> ') + (term.prefix ? ':*' : '');
  const operand = term.lexemes.length > 1 ? `(${body})` : body;
  return term.negated ? `!${operand}` : operand;
}

/**
 * Turns search-box input into a tsquery: words are ANDed, `"…"` is a phrase, `-word` excludes,
 * `a OR b` is an alternative (binding tighter than the implicit AND), and the word still being typed
 * (the last one, when the input does not end in whitespace) is prefix-matched.
 */
export function parseSearch(input: string | null | undefined): ParsedSearch {
  // A listing without a query (most requests) skips the normalising and the regular expressions.
  if (!input) return { tsquery: null, terms: [] };
  const text = (input ?? '').slice(0, MAX_SEARCH_LENGTH).normalize('NFC');
  const typing = !/\s$/u.test(text);
  const matches = [...text.matchAll(TOKEN)];
  // Each group is a run of terms joined by OR; the groups are ANDed.
  const groups: Term[][] = [];
  let joinNext = false;
  let count = 0;

  for (const [index, match] of matches.entries()) {
    const [raw, dash, phrase] = match;
    if (raw === 'OR') {
      joinNext = groups.length > 0; // an OR with nothing before it is dropped
      continue;
    }
    const quoted = phrase !== undefined;
    const negated = quoted ? dash === '-' : raw.startsWith('-');
    const lexemes = (quoted ? phrase : raw).toLowerCase().split(NON_LEXEME).filter(Boolean);
    if (lexemes.length === 0) continue;
    if (count === MAX_TERMS) break;
    count++;
    // Prefix-matching an exclusion would exclude every word starting with what has been typed so far.
    const prefix = typing && !quoted && !negated && index === matches.length - 1;
    const term = { lexemes, negated, prefix };
    if (joinNext) groups[groups.length - 1].push(term);
    else groups.push([term]);
    joinNext = false;
  }

  const positive = groups.flat().filter((term) => !term.negated);
  if (positive.length === 0) return { tsquery: null, terms: [] };

  const tsquery = groups
    .map((group) => {
      const alternatives = group.map(renderTerm).join(' | ');
      // `|` binds looser than `&` in tsquery, so an OR group needs parentheses next to other groups.
      return group.length > 1 && groups.length > 1 ? `(${alternatives})` : alternatives;
    })
    .join(' & ');
  return { tsquery, terms: [...new Set(positive.flatMap((term) => term.lexemes))] };
}
