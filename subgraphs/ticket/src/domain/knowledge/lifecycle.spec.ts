import { describe, expect, it } from 'vitest';
import { ARTICLE_STATUSES } from '../../entities/article.entity.js';
import { ARTICLE_TRANSITIONS, articleMove, EDIT_SCOPE } from './lifecycle.js';
import { normaliseLocale, searchConfigFor } from './locale.js';

describe('article life cycle', () => {
  it('goes DRAFT → IN_REVIEW → PUBLISHED → ARCHIVED, publishing needs knowledge:publish', () => {
    expect(articleMove('DRAFT', 'IN_REVIEW')?.scope).toBe('knowledge:write');
    expect(articleMove('IN_REVIEW', 'PUBLISHED')?.scope).toBe('knowledge:publish');
    expect(articleMove('PUBLISHED', 'ARCHIVED')?.scope).toBe('knowledge:publish');
    expect(articleMove('DRAFT', 'PUBLISHED')).toBeNull();
    expect(articleMove('ARCHIVED', 'PUBLISHED')).toBeNull();
  });

  it('sending back needs a reason; every status has a way out and no move stays put', () => {
    expect(articleMove('IN_REVIEW', 'DRAFT')?.reason).toBe(true);
    for (const status of ARTICLE_STATUSES) {
      expect(ARTICLE_TRANSITIONS[status].length).toBeGreaterThan(0);
      expect(ARTICLE_TRANSITIONS[status].some((m) => m.to === status)).toBe(false);
    }
    expect(EDIT_SCOPE.ARCHIVED).toBeNull();
  });
});

describe('locales', () => {
  it('normalises tags and picks the language configuration', () => {
    expect(normaliseLocale('en-ie')).toBe('en-IE');
    expect(normaliseLocale('de')).toBe('de');
    expect(normaliseLocale('not a locale')).toBeNull();
    expect(searchConfigFor('en-GB')).toBe('english');
    expect(searchConfigFor('de-AT')).toBe('german');
    expect(searchConfigFor('ga-IE')).toBe('simple');
  });
});
