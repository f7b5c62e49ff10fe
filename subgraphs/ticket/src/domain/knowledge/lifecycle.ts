import type { ArticleStatus } from '../../entities/index.js';
import { KNOWLEDGE_PUBLISH, KNOWLEDGE_WRITE } from './access.js';

/**
 * An article's review life cycle as data: which status may follow which, the scope the move needs
 * and whether a reason is required. Authors submit drafts for review; reviewers (`knowledge:publish`)
 * publish them or send them back with a reason; published articles are archived or taken back to draft.
 */
export type ArticleMove = { to: ArticleStatus; scope: string; reason: boolean };

export const ARTICLE_TRANSITIONS: Record<ArticleStatus, readonly ArticleMove[]> = {
  DRAFT: [
    { to: 'IN_REVIEW', scope: KNOWLEDGE_WRITE, reason: false },
    { to: 'ARCHIVED', scope: KNOWLEDGE_WRITE, reason: false },
  ],
  IN_REVIEW: [
    { to: 'PUBLISHED', scope: KNOWLEDGE_PUBLISH, reason: false },
    { to: 'DRAFT', scope: KNOWLEDGE_PUBLISH, reason: true },
  ],
  PUBLISHED: [
    { to: 'ARCHIVED', scope: KNOWLEDGE_PUBLISH, reason: false },
    { to: 'DRAFT', scope: KNOWLEDGE_PUBLISH, reason: true },
  ],
  ARCHIVED: [{ to: 'DRAFT', scope: KNOWLEDGE_WRITE, reason: false }],
};

/** The move from `from` to `to`, or null when the life cycle has none. */
export const articleMove = (from: ArticleStatus, to: ArticleStatus): ArticleMove | null =>
  ARTICLE_TRANSITIONS[from].find((m) => m.to === to) ?? null;

/** Who may edit an article's text in a status: drafts and reviews with `knowledge:write`, a published one only with `knowledge:publish`. */
export const EDIT_SCOPE: Record<ArticleStatus, string | null> = {
  DRAFT: KNOWLEDGE_WRITE,
  IN_REVIEW: KNOWLEDGE_WRITE,
  PUBLISHED: KNOWLEDGE_PUBLISH,
  ARCHIVED: null,
};
