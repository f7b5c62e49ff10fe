import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_LENGTH, parseSearch } from './search-query.js';

const tsquery = (input: string | null | undefined) => parseSearch(input).tsquery;

// Only letters, digits, spaces and the operators the parser emits may appear in the output.
function usesOnlyAllowedCharacters(query: string): boolean {
  return /^[\p{L}\p{N} &|!()]*$/u.test(query.replaceAll('<->', ' ').replaceAll(':*', ' '));
}

// A small recursive-descent check of the tsquery grammar the parser produces:
// or := and ('|' and)*; and := phrase ('&' phrase)*; phrase := unary ('<->' unary)*;
// unary := '!' unary | '(' or ')' | lexeme [':*']
function isValidTsquery(query: string): boolean {
  const tokens = query.match(/<->|:\*|[&|!()]|[\p{L}\p{N}]+|\S/gu) ?? [];
  let pos = 0;
  const isLexeme = (token: string | undefined) => token !== undefined && /^[\p{L}\p{N}]+$/u.test(token);
  const unary = (): boolean => {
    const token = tokens[pos];
    if (token === '!') {
      pos++;
      return unary();
    }
    if (token === '(') {
      pos++;
      if (!or() || tokens[pos] !== ')') return false;
      pos++;
      return true;
    }
    if (!isLexeme(token)) return false;
    pos++;
    if (tokens[pos] === ':*') pos++;
    return true;
  };
  const chain = (operator: string, operand: () => boolean) => (): boolean => {
    if (!operand()) return false;
    while (tokens[pos] === operator) {
      pos++;
      if (!operand()) return false;
    }
    return true;
  };
  const phrase = chain('<->', unary);
  const and = chain('&', phrase);
  const or: () => boolean = chain('|', and);
  return or() && pos === tokens.length;
}

describe('parseSearch', () => {
  describe('words', () => {
    it('ANDs whitespace-separated words and prefix-matches the last one', () => {
      expect(parseSearch('unlimited 5g')).toEqual({ tsquery: 'unlimited & 5g:*', terms: ['unlimited', '5g'] });
    });

    it('prefix-matches a single word being typed', () => {
      expect(tsquery('iph')).toBe('iph:*');
    });

    it('does not prefix-match when the input ends with whitespace', () => {
      expect(tsquery('unlimited 5g ')).toBe('unlimited & 5g');
      expect(tsquery('unlimited 5g\t')).toBe('unlimited & 5g');
    });

    it('collapses runs of whitespace', () => {
      expect(tsquery('  unlimited \n\t  data   plan')).toBe('unlimited & data & plan:*');
    });

    it('lower-cases lexemes', () => {
      expect(parseSearch('iPhone PRO')).toEqual({ tsquery: 'iphone & pro:*', terms: ['iphone', 'pro'] });
    });
  });

  describe('phrases', () => {
    it('turns a quoted phrase into adjacency', () => {
      expect(parseSearch('"family plan"')).toEqual({ tsquery: '(family <-> plan)', terms: ['family', 'plan'] });
    });

    it('never prefix-matches inside quotes', () => {
      expect(tsquery('"family pl"')).toBe('(family <-> pl)');
      expect(tsquery('5g "plan"')).toBe('5g & plan');
    });

    it('only prefix-matches the word still being typed, not one before a phrase', () => {
      expect(tsquery('sim "family plan"')).toBe('sim & (family <-> plan)');
    });

    it('mixes phrases and words', () => {
      expect(tsquery('"family plan" unlimited')).toBe('(family <-> plan) & unlimited:*');
    });

    it('treats the rest of the input as the phrase when a quote is unbalanced', () => {
      expect(tsquery('5g "family plan')).toBe('5g & (family <-> plan)');
      expect(tsquery('"family plan" "unlimited da')).toBe('(family <-> plan) & (unlimited <-> da)');
    });

    it('ignores empty phrases', () => {
      expect(tsquery('"" 5g ""')).toBe('5g');
      expect(parseSearch('"')).toEqual({ tsquery: null, terms: [] });
    });

    it('splits words glued to a quote', () => {
      expect(tsquery('plan"family deal"')).toBe('plan & (family <-> deal)');
    });
  });

  describe('exclusion', () => {
    it('excludes words with a leading dash, without prefix-matching them', () => {
      expect(parseSearch('fibre -tv')).toEqual({ tsquery: 'fibre & !tv', terms: ['fibre'] });
      expect(tsquery('-tv fibre')).toBe('!tv & fibre:*');
    });

    it('excludes phrases with a leading dash', () => {
      expect(tsquery('plan -"pay as you go"')).toBe('plan & !(pay <-> as <-> you <-> go)');
    });

    it('ignores a word that is only a dash', () => {
      expect(tsquery('fibre - tv')).toBe('fibre & tv:*');
      expect(tsquery('fibre -')).toBe('fibre');
    });

    it('returns null with no terms when every term is excluded', () => {
      expect(parseSearch('-tv')).toEqual({ tsquery: null, terms: [] });
      expect(parseSearch('-tv -"landline only" -x')).toEqual({ tsquery: null, terms: [] });
    });

    it('keeps a dash inside a word as a lexeme separator', () => {
      expect(tsquery('-wi-fi router')).toBe('!(wi <-> fi) & router:*');
    });
  });

  describe('OR', () => {
    it('turns OR into |', () => {
      expect(parseSearch('iphone OR samsung ')).toEqual({ tsquery: 'iphone | samsung', terms: ['iphone', 'samsung'] });
      expect(tsquery('iphone OR samsung')).toBe('iphone | samsung:*');
    });

    it('binds OR tighter than the implicit AND', () => {
      expect(tsquery('5g iphone OR samsung ')).toBe('5g & (iphone | samsung)');
      expect(tsquery('iphone OR samsung 5g ')).toBe('(iphone | samsung) & 5g');
      expect(tsquery('5g apple OR samsung OR pixel unlimited ')).toBe('5g & (apple | samsung | pixel) & unlimited');
      expect(tsquery('a OR b c OR d ')).toBe('(a | b) & (c | d)');
    });

    it('works with phrases and exclusions', () => {
      expect(tsquery('"family plan" OR "group plan" ')).toBe('(family <-> plan) | (group <-> plan)');
      expect(tsquery('fibre -tv OR -phone')).toBe('fibre & (!tv | !phone)');
    });

    it('ignores a dangling OR at the start or end', () => {
      expect(tsquery('OR iphone ')).toBe('iphone');
      expect(tsquery('iphone OR')).toBe('iphone');
      expect(tsquery('iphone OR ')).toBe('iphone');
      expect(parseSearch('OR')).toEqual({ tsquery: null, terms: [] });
    });

    it('collapses repeated ORs', () => {
      expect(tsquery('iphone OR OR samsung ')).toBe('iphone | samsung');
    });

    it('treats OR as a word when it is not uppercase, quoted or negated', () => {
      expect(tsquery('iphone or samsung ')).toBe('iphone & or & samsung');
      expect(tsquery('iphone "OR" samsung ')).toBe('iphone & or & samsung');
      expect(tsquery('iphone -OR samsung ')).toBe('iphone & !or & samsung');
    });

    it('ignores an OR whose neighbour has no lexemes', () => {
      expect(tsquery('iphone OR & samsung ')).toBe('iphone | samsung');
    });
  });

  describe('lexemes', () => {
    it('joins the pieces of a punctuated word with <->', () => {
      expect(parseSearch('wi-fi')).toEqual({ tsquery: '(wi <-> fi:*)', terms: ['wi', 'fi'] });
      expect(tsquery('e-sim ')).toBe('(e <-> sim)');
      expect(tsquery('router wi-fi ')).toBe('router & (wi <-> fi)');
    });

    it('keeps unicode letters and digits', () => {
      expect(parseSearch('café 5g')).toEqual({ tsquery: 'café & 5g:*', terms: ['café', '5g'] });
      expect(tsquery('Ünlimited Straße ')).toBe('ünlimited & straße');
      expect(tsquery('日本 ')).toBe('日本');
    });

    it('normalises decomposed accents so they do not split a word', () => {
      expect(tsquery('cafe\u0301 ')).toBe('café');
    });

    it('deduplicates terms, keeping first-seen order', () => {
      expect(parseSearch('plan "family plan" Plan ').terms).toEqual(['plan', 'family']);
    });

    it('leaves excluded lexemes out of terms', () => {
      expect(parseSearch('fibre -tv -"fibre box" ').terms).toEqual(['fibre']);
    });
  });

  describe('empty input', () => {
    it.each([
      ['null', null],
      ['undefined', undefined],
      ['empty', ''],
      ['whitespace', '  \t\n '],
      ['punctuation', '!?.,;:*&|()<>\'"\\'],
      ['dashes', '- -- ---'],
      ['emoji', '🔥 📱'],
    ])('returns null for %s', (_name, input) => {
      expect(parseSearch(input)).toEqual({ tsquery: null, terms: [] });
    });
  });

  describe('limits', () => {
    it('truncates input to MAX_SEARCH_LENGTH characters before parsing', () => {
      const long = `${'a'.repeat(MAX_SEARCH_LENGTH - 5)} bcdefgh`;
      expect(parseSearch(long)).toEqual({
        tsquery: `${'a'.repeat(MAX_SEARCH_LENGTH - 5)} & bcde:*`,
        terms: ['a'.repeat(MAX_SEARCH_LENGTH - 5), 'bcde'],
      });
      expect(tsquery(`${'x '.repeat(5)}${' '.repeat(MAX_SEARCH_LENGTH)}secret`)).toBe('x & x & x & x & x');
    });

    it('uses at most 12 terms', () => {
      const words = Array.from({ length: 15 }, (_, i) => `w${i + 1}`);
      const result = parseSearch(words.join(' '));
      expect(result.terms).toEqual(words.slice(0, 12));
      // The 12th word was followed by more input, so it is finished: no prefix.
      expect(result.tsquery).toBe(words.slice(0, 12).join(' & '));
    });

    it('counts phrases and exclusions as terms but not OR', () => {
      const input = 'a OR b "c d" -e f g h i j k l m n';
      expect(tsquery(input)).toBe('(a | b) & (c <-> d) & !e & f & g & h & i & j & k & l & m');
    });
  });

  describe('adversarial input', () => {
    const hostile = [
      "'); drop table x; --",
      'a & b | !c',
      ':*',
      '<->',
      'a <-> b',
      'a <2> b',
      'a:* b:AB',
      "'quoted' \\'escaped\\' \\\\",
      'a)) | ((b',
      '!!a & !(b',
      'café 🔥 naïve 📱 e\u0301',
      'zero\u200bwidth nbsp\u00a0word',
      'null\u0000byte',
      '\ud83d', // a lone surrogate
      '""" "a "" b',
      '- OR -- OR " OR',
      'OR OR OR a OR OR',
      '\'"&|!():*<>\\ 5g',
    ];

    it.each(hostile)('produces a valid, operator-safe tsquery for %j', (input) => {
      const { tsquery: query, terms } = parseSearch(input);
      if (query === null) return;
      expect(usesOnlyAllowedCharacters(query)).toBe(true);
      expect(isValidTsquery(query)).toBe(true);
      for (const term of terms) expect(term).toMatch(/^[\p{L}\p{N}]+$/u);
    });

    it('strips operators out of an injection attempt', () => {
      expect(parseSearch("'); drop table x; --")).toEqual({ tsquery: 'drop & table & x', terms: ['drop', 'table', 'x'] });
      expect(tsquery('a & b | !c')).toBe('a & b & c:*');
      expect(tsquery('a:* b:AB')).toBe('a & (b <-> ab:*)');
    });

    it('survives random input', () => {
      const alphabet = [...'abZ5éß日🔥  \t"-&|!():*<>\'\\', 'OR', ' OR '];
      let seed = 42;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let run = 0; run < 2000; run++) {
        const input = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
        const { tsquery: query, terms } = parseSearch(input);
        if (query === null) {
          expect(terms).toEqual([]);
          continue;
        }
        expect(usesOnlyAllowedCharacters(query), input).toBe(true);
        expect(isValidTsquery(query), input).toBe(true);
        expect(terms.length).toBeGreaterThan(0);
      }
    });
  });
});
