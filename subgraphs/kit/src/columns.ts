import { p } from '@mikro-orm/core';
import { newId } from './ids.js';

/** The columns most entities share, written once: a UUID v7 key, creation and update times, an optimistic-lock version. */
export const columns = {
  id: () =>
    p
      .uuid()
      .primary()
      .onCreate(() => newId()),
  createdAt: () => p.datetime().onCreate(() => new Date()),
  updatedAt: () =>
    p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  version: () => p.integer().version(),
};
