import { seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { searchConfigFor } from '../domain/knowledge/locale.js';
import { Article, type ArticleStatus, ArticleStatusChange, TicketArticle, type TicketCategory } from '../entities/index.js';

type DemoArticle = {
  key: string;
  brand: 'volt' | 'nimbus';
  category: TicketCategory;
  status: ArticleStatus;
  title: string;
  body: string;
  tags: string[];
  /** A resolved demo ticket this article solved. */
  ticket?: string;
};

/** The demo brands' locales (the catalog's demo storefronts) and the staff who write and review there. */
const BRANDS = {
  volt: { locale: 'en-IE', author: 'volt-consumer', reviewer: 'volt-manager' },
  nimbus: { locale: 'en-GB', author: 'nimbus-agent', reviewer: 'regional-manager' },
} as const;

/** A handful of solution articles per brand, published and not. */
export const DEMO_ARTICLES: DemoArticle[] = [
  {
    key: 'volt-apn',
    brand: 'volt',
    category: 'TECHNICAL',
    status: 'PUBLISHED',
    title: 'Mobile data not working? Reset your APN settings',
    body: '# Mobile data not working\n\nIf mobile data stopped working, restart your phone, then check the **APN** settings: the access point name must be `internet.volt`. Turn airplane mode on and off to reconnect to the network.',
    tags: ['mobile data', 'apn', 'internet'],
  },
  {
    key: 'volt-double-charge',
    brand: 'volt',
    category: 'BILLING',
    status: 'PUBLISHED',
    title: 'Why was I charged twice this month?',
    body: 'A second charge on your bill is usually a pro-rata charge after a plan change, or a payment retried by your bank. Refunds of a duplicate payment reach your card within five working days.',
    tags: ['bill', 'charge', 'refund', 'payment'],
    ticket: 'aoife-double-charge',
  },
  {
    key: 'volt-coverage',
    brand: 'volt',
    category: 'NETWORK',
    status: 'PUBLISHED',
    title: 'Weak signal at home: check coverage and Wi-Fi calling',
    body: 'Check the coverage map for your address. Indoors, turn on **Wi-Fi calling** so calls and texts use your broadband when the mobile signal is weak.',
    tags: ['signal', 'coverage', 'wifi calling'],
  },
  {
    key: 'volt-delivery',
    brand: 'volt',
    category: 'ORDER',
    status: 'PUBLISHED',
    title: 'Where is my order? Tracking your phone delivery',
    body: 'Orders ship within two working days. Your confirmation email has a tracking link; the courier delivers between 8 am and 6 pm and leaves a card when nobody is home.',
    tags: ['delivery', 'order', 'tracking'],
  },
  {
    key: 'volt-esim',
    brand: 'volt',
    category: 'DEVICE',
    status: 'IN_REVIEW',
    title: 'Moving your number to an eSIM',
    body: 'Scan the QR code from self-care with the new phone; your physical SIM stops working within minutes.',
    tags: ['esim', 'sim'],
  },
  {
    key: 'volt-roaming-draft',
    brand: 'volt',
    category: 'BILLING',
    status: 'DRAFT',
    title: 'Roaming charges outside the EU',
    body: 'Draft: roaming rates per zone, and how to set a spending cap.',
    tags: ['roaming'],
  },
  {
    key: 'nimbus-router',
    brand: 'nimbus',
    category: 'NETWORK',
    status: 'PUBLISHED',
    title: 'Broadband drops in the evening: restart and reposition your router',
    body: 'Evening drop-outs are often Wi-Fi interference. Restart the router, keep it away from walls and microwaves, and switch to the 5 GHz network.',
    tags: ['broadband', 'router', 'wifi'],
  },
  {
    key: 'nimbus-bill',
    brand: 'nimbus',
    category: 'BILLING',
    status: 'PUBLISHED',
    title: 'Understanding your first bill',
    body: 'Your first bill covers part of last month and all of this one, so it is higher than the ones that follow.',
    tags: ['bill', 'charge'],
  },
  {
    key: 'nimbus-speed-draft',
    brand: 'nimbus',
    category: 'TECHNICAL',
    status: 'DRAFT',
    title: 'Running a broadband speed test',
    body: 'Draft: use a cable, close other apps, test three times.',
    tags: ['speed', 'broadband'],
  },
];

const DAY = 86_400_000;

/** Demo articles with their status history, and the article that solved a resolved demo ticket; skipped when articles exist. */
export async function seedArticles(em: EntityManager): Promise<number> {
  if (await em.count(Article, {})) return DEMO_ARTICLES.length;
  const now = Date.now();
  await em.transactional(async (tx) => {
    for (const [i, a] of DEMO_ARTICLES.entries()) {
      const brand = BRANDS[a.brand];
      const createdAt = new Date(now - (20 - i) * DAY);
      const reviewedAt = new Date(createdAt.getTime() + DAY);
      const id = seedId('article', a.key);
      const author = seedId('staff', brand.author);
      const reviewer = seedId('staff', brand.reviewer);
      const published = a.status === 'PUBLISHED';
      tx.create(Article, {
        id,
        storefrontId: seedId('storefront', a.brand),
        category: a.category,
        locale: brand.locale,
        searchConfig: searchConfigFor(brand.locale),
        title: a.title,
        body: a.body,
        bodyFormat: 'MARKDOWN',
        tags: a.tags,
        status: a.status,
        authorStaffId: author,
        reviewerStaffId: published ? reviewer : null,
        createdAt,
        updatedAt: a.status === 'DRAFT' ? createdAt : reviewedAt,
        publishedAt: published ? reviewedAt : null,
      });
      tx.create(ArticleStatusChange, { articleId: id, fromStatus: null, toStatus: 'DRAFT', actorStaffId: author, at: createdAt });
      if (a.status !== 'DRAFT') {
        const submitted = new Date(createdAt.getTime() + DAY / 2);
        tx.create(ArticleStatusChange, { articleId: id, fromStatus: 'DRAFT', toStatus: 'IN_REVIEW', actorStaffId: author, at: submitted });
      }
      if (published) {
        tx.create(ArticleStatusChange, {
          articleId: id,
          fromStatus: 'IN_REVIEW',
          toStatus: 'PUBLISHED',
          actorStaffId: reviewer,
          at: reviewedAt,
        });
      }
      if (a.ticket) {
        tx.create(TicketArticle, {
          ticketId: seedId('ticket', a.ticket),
          articleId: id,
          storefrontId: seedId('storefront', a.brand),
          linkedByStaffId: author,
          createdAt: reviewedAt,
        });
      }
    }
  });
  return DEMO_ARTICLES.length;
}
