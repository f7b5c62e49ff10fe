import { seedId } from '@dcrm/kit';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { dbRows, expectRefusedAndUnchanged, staffMutations, type WriteAttempt } from './support/brand-matrix.js';
import { client, codes, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Quote documents as PDF through the router: the bytes (base64 in the GraphQL answer) are a PDF whose
 * text a PDF parser reads back — brand, number, revision, lines, discounts, tax, totals, validity,
 * terms — and only callers who may see the quote get one (its customer, staff of its brand and
 * segment, its partner); everyone else gets NOT_FOUND, keys and the chatbot no field at all.
 * `quoteDocumentAttach` keeps a PDF as an attachment, for those who may attach files to the quote only.
 */
let stack: Stack;
type Gql = (query: string, variables?: Record<string, unknown>) => Promise<Response>;
const as: Record<string, Gql> = {};
const AOIFE_QUOTE = seedId('quote', 'aoife-1');
const NIAMH_QUOTE = seedId('quote', 'niamh-1');
const OLIVER_QUOTE = seedId('quote', 'oliver-1');

const PDF = `query ($id: ID!) { quoteDocument(id: $id, format: PDF) { format contentType fileName content contentEncoding sizeBytes } }`;
const NESTED = 'query ($id: ID!) { quote(id: $id) { id document(format: PDF) { fileName } } }';

beforeAll(async () => {
  stack = await startTestStack();
  const h = stack.router.handler;
  as.aoife = (await signIn(h, 'customerLogin', 'aoife@example.com', KEYS.volt)).gql;
  as.conor = (await signIn(h, 'customerLogin', 'conor@example.com', KEYS.volt)).gql;
  as.connectify = (await signIn(h, 'partnerLogin', 'ops@connectify.example')).gql;
  as.skyline = (await signIn(h, 'partnerLogin', 'ops@skyline.example')).gql;
  as.consumerAgent = (await signIn(h, 'staffLogin', 'agent.consumer@volt.example')).gql;
  as.businessAgent = (await signIn(h, 'staffLogin', 'agent.business@volt.example')).gql;
  as.nimbusAgent = (await signIn(h, 'staffLogin', 'agent@nimbus.example')).gql;
  as.chatbot = client(h, PRIVATE_KEYS.voltChatbot);
  as.shopper = client(h, KEYS.volt);
});
afterAll(() => stack.stop());

async function pdfText(content: string): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(Buffer.from(content, 'base64'))), { mergePages: true });
  return text;
}

describe('a quote as PDF', () => {
  it('is a PDF of the quote in its brand: number, revision, lines, discount, tax, totals, validity and terms', async () => {
    const res = await as.aoife(PDF, { id: AOIFE_QUOTE });
    expect(res.body.errors).toBeUndefined();
    const doc = res.body.data?.quoteDocument;
    const quote = (
      await as.aoife(
        `query ($id: ID!) { quote(id: $id) { number revision validUntil
          totals { dueNow { amount } monthly { amount } taxRecurring { amount } } } }`,
        { id: AOIFE_QUOTE },
      )
    ).body.data?.quote;
    expect(doc).toMatchObject({
      format: 'PDF',
      contentType: 'application/pdf',
      fileName: `${quote.number}-r${quote.revision}.pdf`,
      contentEncoding: 'BASE64',
    });
    const bytes = Buffer.from(doc.content, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(doc.sizeBytes).toBe(bytes.length);
    const brand = (await as.shopper('{ storefront { name } }')).body.data?.storefront.name;
    const text = await pdfText(doc.content);
    for (const expected of [
      brand,
      `Quote ${quote.number} (revision ${quote.revision})`,
      'Volt Unlimited 5G',
      '+ EU Roaming Plus',
      '10.00%',
      `Tax: `,
      `${quote.totals.taxRecurring.amount} EUR monthly`,
      `Due now: ${quote.totals.dueNow.amount} EUR`,
      `Monthly: ${quote.totals.monthly.amount} EUR`,
      `Valid until: ${String(quote.validUntil).slice(0, 10)}`,
      'Terms',
      'an expired quote cannot be accepted',
    ])
      expect(text).toContain(expected);
  });

  it("another brand's quote carries that brand's name", async () => {
    const res = await as.nimbusAgent(PDF, { id: OLIVER_QUOTE });
    expect(res.body.errors).toBeUndefined();
    const brand = (await client(stack.router.handler, KEYS.nimbus)('{ storefront { name } }')).body.data?.storefront.name;
    const text = await pdfText(res.body.data?.quoteDocument.content);
    expect(text).toContain(brand);
    expect(text).toContain('Nimbus Fibre 150');
  });
});

describe('who gets a quote PDF', () => {
  it("the quote's customer, its brand's staff of its segment, and its partner", async () => {
    for (const gql of [as.aoife, as.consumerAgent]) expect(codes(await gql(PDF, { id: AOIFE_QUOTE }))).toEqual([]);
    expect(codes(await as.connectify(PDF, { id: NIAMH_QUOTE }))).toEqual([]);
    expect((await as.aoife(NESTED, { id: AOIFE_QUOTE })).body.data?.quote.document.fileName).toMatch(/\.pdf$/);
  });

  it('another customer, staff of another brand or segment, another partner: NOT_FOUND, no bytes', async () => {
    for (const gql of [as.conor, as.nimbusAgent, as.businessAgent, as.skyline, as.connectify]) {
      const res = await gql(PDF, { id: AOIFE_QUOTE });
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(res.body.data?.quoteDocument ?? null).toBeNull();
      const nested = await gql(NESTED, { id: AOIFE_QUOTE });
      expect(nested.body.data?.quote ?? null).toBeNull();
    }
    expect(codes(await as.skyline(PDF, { id: NIAMH_QUOTE }))).toEqual(['NOT_FOUND']);
  });

  it('storefront keys and the chatbot cannot ask for one', async () => {
    for (const gql of [as.shopper, as.chatbot]) {
      const res = await gql(PDF, { id: AOIFE_QUOTE });
      expect(codes(res)).not.toEqual([]);
      expect(res.body.data?.quoteDocument ?? null).toBeNull();
    }
  });

  it('a list of quotes renders PDFs of the visible ones only', async () => {
    const res = await as.conor('{ quotes(first: 100) { nodes { id document(format: PDF) { fileName } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.quotes.nodes.map((q: { id: string }) => q.id)).not.toContain(AOIFE_QUOTE);
  });
});

const ATTACH = `mutation ($input: QuoteDocumentAttachInput!) { quoteDocumentAttach(input: $input) {
  attachment { id fileName contentType sizeBytes } userErrors { code } } }`;
// A quote of Aoife's made here (the seeded ones are read, never changed).
let fresh = '';
const attach = (gql: Gql) => gql(ATTACH, { input: { quoteId: fresh } });
const attachmentRows = () => dbRows(stack, 'quote', 'select id from "quote"."quote_attachment" where quote_id = ? order by id', [fresh]);

describe('quoteDocumentAttach', () => {
  beforeAll(async () => {
    const res = await as.consumerAgent(
      'mutation ($input: QuoteCreateInput!) { quoteCreate(input: $input) { quote { id } userErrors { code } } }',
      { input: { customerId: seedId('customer', 'aoife'), lines: [{ productId: seedId('product', 'volt-sim-unlimited') }] } },
    );
    fresh = res.body.data?.quoteCreate.quote.id;
    expect(fresh).toBeTruthy();
  });

  it('keeps the PDF as an attachment that reads back as the same PDF, for its customer and its staff', async () => {
    const [a, b] = [await attach(as.consumerAgent), await attach(as.aoife)];
    for (const res of [a, b]) expect(res.body.data?.quoteDocumentAttach.userErrors).toEqual([]);
    const kept = a.body.data?.quoteDocumentAttach.attachment;
    expect(kept).toMatchObject({ fileName: expect.stringMatching(/-r\d+\.pdf$/), contentType: 'application/pdf' });
    const read = await as.aoife('query ($id: ID!) { quoteAttachment(id: $id) { contentBase64 sizeBytes } }', { id: kept.id });
    const bytes = Buffer.from(read.body.data?.quoteAttachment.contentBase64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(kept.sizeBytes);
    expect(await pdfText(read.body.data?.quoteAttachment.contentBase64)).toContain('Volt Unlimited 5G');
    // Another customer cannot read the kept copy either.
    expect(codes(await as.conor('query ($id: ID!) { quoteAttachment(id: $id) { id } }', { id: kept.id }))).toEqual(['NOT_FOUND']);
  });

  const CASES: WriteAttempt[] = [
    { what: 'Nimbus staff keep a Volt quote', attempt: () => attach(as.nimbusAgent), refusal: 'NOT_FOUND' },
    { what: 'staff of another segment keep a consumer quote', attempt: () => attach(as.businessAgent), refusal: 'NOT_FOUND' },
    { what: "another customer keeps Aoife's quote", attempt: () => attach(as.conor), refusal: 'NOT_FOUND' },
    { what: 'a partner keeps a quote not of its accounts', attempt: () => attach(as.skyline), refusal: 'NOT_FOUND' },
  ].map((c) => ({ ...c, mutation: 'quoteDocumentAttach', rows: attachmentRows }));

  it.each(CASES.map((c) => [c.what, c] as const))('%s → refused, nothing kept', async (_, c) => {
    await expectRefusedAndUnchanged(c);
  });

  it('keys and the chatbot cannot call it; it is a staff mutation the matrix covers', async () => {
    for (const gql of [as.shopper, as.chatbot]) {
      const before = await attachmentRows();
      expect(codes(await attach(gql))).not.toEqual([]);
      expect(await attachmentRows()).toEqual(before);
    }
    expect(staffMutations(new URL('../subgraphs/quote/src/schema.graphql', import.meta.url))).toContain('quoteDocumentAttach');
  });
});
