import { type BootedSubgraph, type Principal, requestPrincipal, seedId } from '@dcrm/kit';
import { principals } from '@dcrm/kit/testing';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Price, PriceList, Product, Store, Storefront } from '../src/entities/index.js';
import { productId, storefrontId } from '../src/seed/index.js';
import { bootCatalog, codes, gql } from './helpers.js';

/** kit's flush-time brand guard: the backstop under the catalog's own brand checks. */
const VOLT = storefrontId('volt');
const NIMBUS = storefrontId('nimbus');
const NIMBUS_LIST = seedId('price-list', 'nimbus');

let catalog: BootedSubgraph;
beforeAll(async () => {
  catalog = await bootCatalog();
});
afterAll(async () => {
  await catalog.server.stop();
  await catalog.orm.close();
});

/** Runs `work` as if inside a request of `principal`. */
const asRequest = <T>(principal: Principal, work: (em: EntityManager) => Promise<T>) =>
  requestPrincipal.run(async () => {
    requestPrincipal.bind(principal);
    return work(catalog.orm.em.fork() as EntityManager);
  });

const nameOfList = async () => (await catalog.orm.em.fork().findOneOrFail(PriceList, { id: NIMBUS_LIST })).name;

describe('BrandWriteGuard', () => {
  it("refuses updating another brand's row, and writes nothing", async () => {
    const before = await nameOfList();
    const attempt = asRequest(principals.staff(VOLT), async (em) => {
      const list = await em.findOneOrFail(PriceList, { id: NIMBUS_LIST });
      list.name = 'Hijacked';
      await em.flush();
    });
    await expect(attempt).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await nameOfList()).toBe(before);
  });

  it("refuses inserting a row into another brand, and moving a row out of one's own", async () => {
    const insert = asRequest(principals.staff(VOLT), async (em) => {
      em.create(PriceList, { storefront: em.getReference(Storefront, NIMBUS), name: 'Sneaky', currencyCode: 'GBP', segment: 'sneaky' });
      await em.flush();
    });
    await expect(insert).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const move = asRequest(principals.staff(NIMBUS), async (em) => {
      const store = await em.findOneOrFail(Store, { storefront: NIMBUS });
      store.storefront = em.getReference(Storefront, VOLT);
      await em.flush();
    });
    await expect(move).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('judges a row without a brand column by the row it belongs to (a price by its list), loaded or not', async () => {
    const product = productId('nimbus-fibre-500');
    const count = () => catalog.orm.em.fork().count(Price, { priceList: NIMBUS_LIST });
    const before = await count();
    for (const load of [false, true]) {
      const attempt = asRequest(principals.staff(VOLT), async (em) => {
        const list = load ? await em.findOneOrFail(PriceList, { id: NIMBUS_LIST }) : em.getReference(PriceList, NIMBUS_LIST);
        em.create(Price, { priceList: list, product: em.getReference(Product, product), type: 'ONE_OFF', amount: '0.01' });
        await em.flush();
      });
      await expect(attempt).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    }
    expect(await count()).toBe(before);
  });

  it('lets granted brands write, and work outside a request (seeds, jobs) through', async () => {
    const multi = { ...principals.staff(VOLT), storefronts: [VOLT, NIMBUS] };
    const segment = `guard-${Date.now()}`;
    const id = await asRequest(multi, async (em) => {
      const list = em.create(PriceList, { storefront: em.getReference(Storefront, NIMBUS), name: 'Granted', currencyCode: 'GBP', segment });
      await em.flush();
      list.name = 'Granted v2';
      await em.flush();
      return list.id;
    });
    const em = catalog.orm.em.fork();
    const list = await em.findOneOrFail(PriceList, { id });
    expect(list.name).toBe('Granted v2');
    em.remove(list);
    await em.flush();
    expect(await catalog.orm.em.fork().count(PriceList, { id })).toBe(0);
  });
});

describe('the active brand', () => {
  it('must be one of the granted brands, whoever signed the principal', async () => {
    const outside = { ...principals.staff(NIMBUS), storefronts: [VOLT] };
    const result = await gql(catalog, outside, '{ priceLists { id } }');
    expect(result.status).toBe(401);
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    const inside = await gql(catalog, { ...principals.staff(NIMBUS), storefronts: [VOLT, NIMBUS] }, '{ priceLists { id } }');
    expect(inside.body.data?.priceLists.length).toBeGreaterThan(0);
  });
});
