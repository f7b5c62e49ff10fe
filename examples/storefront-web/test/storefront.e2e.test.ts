import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../../stack/src/stack.js';
import { KEYS, productId, registerCustomer, signIn, startTestStack } from '../../../tests/support/stack.js';

// The storefront built once with Vite, served by `vite preview` (its proxy passes /graphql, HTTP and
// WebSocket, to an in-process API), driven in Debian's headless Chromium.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`storefront-web e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// Flags from the machine notes: no background networking (the network is closed), no sandbox (root).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = join(appDir, 'test', 'screenshots');
const PASSWORD = 'fresh-customer-42';
// A journey on a loaded CI machine (test files in parallel on two cores) may need more than the default 30 s.
const JOURNEY_TIMEOUT = 60_000;
const OFFER = 'mutation ($input: OfferCreateInput!) { offerCreate(input: $input) { offer { id title } userErrors { code message } } }';

const SUITE = `storefront-web in headless Chromium${hasChromium ? '' : ` (skipped: no ${CHROMIUM})`}`;

describe.skipIf(!hasChromium)(SUITE, { timeout: JOURNEY_TIMEOUT }, () => {
  let stack: Stack;
  let api: Server;
  let site: PreviewServer;
  let browser: Browser;
  let base: string;
  let target: string;
  let outDir: string;
  let directDir: string | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    api = await stack.router.listen(0, '127.0.0.1');
    target = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    outDir = mkdtempSync(join(tmpdir(), 'dcrm-storefront-web-'));
    const configFile = join(appDir, 'vite.config.ts');
    await build({
      root: appDir,
      configFile,
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    site = await preview({
      root: appDir,
      configFile,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, proxy: { '/graphql': { target, ws: true } } },
    });
    base = (site.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await stack?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    if (directDir) rmSync(directDir, { recursive: true, force: true });
  });

  /** A fresh browser profile (no session, no cart) with the storefront open for `key`. */
  async function open(key: string, hash = '/'): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    // Product images and logos live on a CDN this machine cannot reach: refuse them at once.
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/?key=${key}#${hash}`);
    await page.getByTestId('brand-name').waitFor();
    await shown(page, `#${hash}`);
    return { page, errors };
  }

  /** Waits until the page shows the URL containing `part`, fully rendered (src/main.ts stamps `data-view`). */
  const shown = (page: Page, part: string) =>
    page.locator(`#page[data-view*=${JSON.stringify(part)}]:not([aria-busy])`).waitFor({ state: 'attached' });

  const resultCount = async (page: Page) => Number(await page.getByTestId('result-count').getAttribute('data-count'));
  // In-page expressions as text: this file is type-checked without the DOM library.
  const cssVar = (page: Page, name: string) =>
    page.evaluate<string>(`getComputedStyle(document.documentElement).getPropertyValue(${JSON.stringify(name)}).trim()`);
  const headerBackground = (page: Page) =>
    page.evaluate<string>(`getComputedStyle(document.querySelector('.site-header')).backgroundColor`);
  const html = (page: Page, attribute: string) => page.locator('html').getAttribute(attribute);
  /** The number in a formatted amount ("€12.34" → 12.34). */
  const amount = async (page: Page, selector: string) => Number((await page.locator(selector).textContent())?.replace(/[^\d.-]/g, ''));
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });

  async function closeAll() {
    for (const context of contexts.splice(0)) await context.close();
  }

  it('Volt: branded catalog, search and facets, compare, product with an add-on, cart, sign-in, checkout, order history', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Browser Shopper', prefix: 'web' });
    const { page, errors } = await open(KEYS.volt);

    expect(await page.getByTestId('brand-name').textContent()).toBe('Volt Mobile');
    expect(await page.title()).toBe('Volt Mobile');
    expect(await cssVar(page, '--brand-primary')).toBe('#0b0f1a');
    expect(await headerBackground(page)).toBe('rgb(11, 15, 26)');
    expect(await html(page, 'data-scheme')).toBe('dark');
    const everything = await resultCount(page);
    expect(everything).toBeGreaterThan(0);
    await shot(page, 'volt-catalog');

    // Search, then narrow with a category facet.
    await page.getByRole('searchbox', { name: 'Search' }).fill('5G');
    await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    await shown(page, 'q=5G');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Results for “5G”');
    const searched = await resultCount(page);
    expect(searched).toBeGreaterThan(0);
    expect(searched).toBeLessThan(everything);
    await page.locator('fieldset[data-facet="category"] label', { hasText: 'SIM-only plans' }).locator('input').check();
    await shown(page, 'category=');
    const narrowed = await resultCount(page);
    expect(narrowed).toBeGreaterThan(1);
    expect(narrowed).toBeLessThan(searched);
    const categories = await page.locator('.product-card .muted').allTextContents();
    expect(new Set(categories)).toEqual(new Set(['SIM-only plans']));
    expect(await page.locator('.product-card .price').first().textContent()).toMatch(/^€\d+\.\d{2}\/month/);
    await shot(page, 'volt-search-facet');

    // Compare two of them side by side.
    await page.locator('.product-card .compare-toggle').nth(0).check();
    await page.locator('.product-card .compare-toggle').nth(1).check();
    await page.getByRole('link', { name: 'Compare (2)' }).click();
    await shown(page, '#/compare');
    expect(await page.locator('.compare-table thead th[data-product-id]').count()).toBe(2);
    expect(await page.locator('.compare-table tr[data-key="data"] th').textContent()).toBe('Data');
    await shot(page, 'volt-compare');

    // Product detail: add the plan with its first add-on.
    await page.goBack();
    await shown(page, 'category=');
    await page.getByRole('link', { name: 'Volt Flex 5G 20GB', exact: true }).click();
    await shown(page, '#/product/volt-sim-20gb');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Volt Flex 5G 20GB');
    // The tax-inclusive price (€14.99 + 23% VAT): what the cart will charge.
    expect(await page.getByTestId('product-price').textContent()).toBe('€18.44/month incl. VAT');
    const addon = page.locator('.addons .addon-option').first();
    const addonName = (await addon.textContent())?.trim().split(' €')[0] ?? '';
    await addon.locator('input').check();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText('Added Volt Flex 5G 20GB to your cart.').waitFor();
    expect(await page.getByTestId('cart-count').textContent()).toBe('1');
    await shot(page, 'volt-product');

    await page.getByRole('link', { name: 'View cart →' }).click();
    await shown(page, '#/cart');
    expect(await page.locator('tr.line td:first-child').allTextContents()).toEqual(['Volt Flex 5G 20GB', addonName]);
    expect(await page.locator('tr.addon-line').count()).toBe(1);
    expect(await page.locator('tr.line:not(.addon-line) td:nth-child(2)').textContent()).toBe('€18.44');
    await shot(page, 'volt-cart');

    // Promo codes: an unknown one is refused with a clear message and changes nothing; DATA50 (seeded:
    // 50% off the plan's monthly price for 3 months) adds a discount and lowers the monthly total.
    const monthlyBefore = await amount(page, '[data-total="monthly"] td');
    const promo = page.getByRole('form', { name: 'Promo code' });
    await promo.getByLabel('Promo code').fill('NOPE123');
    await promo.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').filter({ hasText: "We don't know that code" }).waitFor();
    expect(await page.locator('.discount').count()).toBe(0);
    expect(await page.locator('.promo-code').count()).toBe(0);
    expect(await page.locator('[data-total="recurringDiscountsWithTax"]').count()).toBe(0);
    expect(await amount(page, '[data-total="monthly"] td')).toBe(monthlyBefore);

    await promo.getByLabel('Promo code').fill('data50'); // codes are case-insensitive
    await promo.getByRole('button', { name: 'Apply' }).click();
    const discount = page.locator('.discount[data-coupon-code="DATA50"]');
    await discount.waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await discount.locator('.discount-name').textContent()).toBe('Half price plan for 3 months');
    expect(await discount.locator('.discount-message').textContent()).toContain('50%');
    expect(await discount.locator('.discount-amount').textContent()).toMatch(/^-€\d+\.\d{2}\/month$/);
    expect(await page.locator('.promo-code').allTextContents()).toEqual(['DATA50 Remove']);
    expect(await page.getByRole('button', { name: 'Remove code DATA50' }).count()).toBe(1);
    expect(await page.locator('[data-total="recurringDiscountsWithTax"] td').textContent()).toMatch(/^-€\d+\.\d{2}$/);
    expect(await page.locator('[data-total="discountsWithTax"]').count()).toBe(0);
    expect(await amount(page, '[data-total="monthly"] td')).toBeLessThan(monthlyBefore);
    await shot(page, 'volt-cart-promo');

    // Checkout asks to sign in first, then comes back with the cart attached to the customer.
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByRole('link', { name: 'Sign in or create an account' }).click();
    await shown(page, '#/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(customer.email);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await shown(page, '#/checkout');
    expect(await page.locator('tr.line').count()).toBe(2);
    expect(await page.locator('[data-total="dueNow"] td').textContent()).toMatch(/^€/);
    // The code came along with the cart: the checkout shows the same monthly discount.
    expect(await page.locator('[data-total="recurringDiscountsWithTax"] td').textContent()).toMatch(/^-€\d+\.\d{2}$/);
    await shot(page, 'volt-checkout');

    await page.getByTestId('place-order').click();
    await shown(page, 'placed=1');
    const number = (await page.getByTestId('order-number').textContent()) ?? '';
    expect(number).not.toBe('');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you for your order');
    expect(await page.getByTestId('cart-count').textContent()).toBe('0');
    await shot(page, 'volt-order-confirmation');

    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await shown(page, '#/orders');
    expect(await page.locator(`tr[data-order-number="${number}"] td`).nth(2).textContent()).toBe('Placed');
    await shot(page, 'volt-orders');
    expect(errors).toEqual([]);
    await closeAll();
  });

  it("Nimbus: the same build shows Nimbus's name, light theme and pounds", async () => {
    const { page, errors } = await open(KEYS.nimbus);
    expect(await page.getByTestId('brand-name').textContent()).toBe('Nimbus Home');
    expect(await page.title()).toBe('Nimbus Home');
    expect(await cssVar(page, '--brand-primary')).toBe('#5b8def');
    expect(await headerBackground(page)).toBe('rgb(91, 141, 239)');
    expect(await html(page, 'data-scheme')).toBe('light');
    expect(await html(page, 'lang')).toBe('en-GB');
    const prices = await page.locator('.product-card .price').allTextContents();
    expect(prices.length).toBeGreaterThan(0);
    for (const price of prices) expect(price).toMatch(/^£/);
    await shot(page, 'nimbus-catalog');

    // A drop link that does not exist: the recovery page says so instead of failing.
    await page.goto(`${base}/?key=${KEYS.nimbus}#/recover?token=dl_not_a_real_link`);
    await shown(page, '#/recover');
    expect(await page.getByRole('alert').textContent()).not.toBe('');
    expect(errors).toEqual([]);
    await closeAll();
  });

  it('live offers: a public offer appears in the open page without reload, then a personal one after sign-in', async () => {
    const customer = await registerCustomer(stack.router.handler, KEYS.volt, { name: 'Live Shopper', prefix: 'web-live' });
    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const { page, errors } = await open(KEYS.volt);
    // The page's storefrontOffers subscription is listening (other pages are closed).
    await expect.poll(() => stack.router.liveStats().subscriptions, { timeout: 15_000 }).toBe(1);

    const tag = Math.random().toString(36).slice(2, 8);
    const title = `Flash sale ${tag}`;
    const created = await staff.gql(OFFER, {
      input: { productId: productId('volt-sim-20gb'), template: { title, message: 'Half price for three months' } },
    });
    expect(created.body.data?.offerCreate.userErrors).toEqual([]);
    const banner = page.locator('.offer-banner', { hasText: title });
    await banner.waitFor();
    expect(await banner.locator('.offer-badge').textContent()).toBe('Live offer');
    expect(await banner.locator('.offer-link').textContent()).toBe('See Volt Flex 5G 20GB');
    await shot(page, 'volt-live-offer');

    // Signed in, the page also listens for the customer's own offers.
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await shown(page, '#/sign-in');
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Email').fill(customer.email);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await shown(page, '#/orders');
    await expect.poll(() => stack.router.liveStats().subscriptions, { timeout: 15_000 }).toBe(2);
    const personal = `Just for you ${tag}`;
    const mine = await staff.gql(OFFER, {
      input: { customerId: customer.id, template: { title: personal, message: 'A loyalty bonus' } },
    });
    expect(mine.body.data?.offerCreate.userErrors).toEqual([]);
    const forYou = page.locator('.offer-banner[data-personal="true"]', { hasText: personal });
    await forYou.waitFor();
    expect(await forYou.locator('.offer-badge').textContent()).toBe('For you');
    await shot(page, 'volt-personal-offer');
    expect(errors).toEqual([]);
    await closeAll();
  });

  it('without the proxy: built with VITE_DCRM_ENDPOINT, on an origin the brand allows, the page calls the API directly (CORS)', async () => {
    const staff = await signIn(stack.router.handler, 'staffLogin', 'manager@volt.example');
    const SET = 'mutation ($input: StorefrontOriginsSetInput!) { storefrontOriginsSet(input: $input) { userErrors { code } } }';
    const before = (await staff.gql('{ storefront { id allowedOrigins } }')).body.data?.storefront;
    const setOrigins = (origins: string[]) => staff.gql(SET, { input: { storefrontId: before.id, origins } });
    directDir = mkdtempSync(join(tmpdir(), 'dcrm-storefront-web-direct-'));
    // Vite reads VITE_* from the environment at build time.
    process.env.VITE_DCRM_ENDPOINT = `${target}/graphql`;
    let direct: PreviewServer | undefined;
    try {
      await build({
        root: appDir,
        configFile: join(appDir, 'vite.config.ts'),
        logLevel: 'warn',
        mode: 'production',
        build: { outDir: directDir, emptyOutDir: true, sourcemap: false },
      });
      direct = await preview({
        root: appDir,
        configFile: join(appDir, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: directDir },
        preview: { host: '127.0.0.1', port: 0 },
      });
      const origin = (direct.resolvedUrls?.local[0] ?? '').replace(/\/$/, '');
      expect((await setOrigins([...before.allowedOrigins, origin])).body.data?.storefrontOriginsSet.userErrors).toEqual([]);
      const context = await browser.newContext();
      contexts.push(context);
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const apiCalls: string[] = [];
      page.on('request', (r) => {
        if (r.url().startsWith(target)) apiCalls.push(r.method());
      });
      await page.goto(`${origin}/?key=${KEYS.volt}#/`);
      await shown(page, '#/');
      expect(await page.getByTestId('brand-name').textContent()).toBe('Volt Mobile');
      expect(await resultCount(page)).toBeGreaterThan(0);
      // Cross-origin, straight to the API (after a preflight the brand's origins answered).
      expect(apiCalls).toContain('POST');
      expect(errors).toEqual([]);
    } finally {
      delete process.env.VITE_DCRM_ENDPOINT;
      await setOrigins(before.allowedOrigins);
      await closeAll();
      await direct?.close();
    }
  });
});
