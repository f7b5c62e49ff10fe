import { seedId } from '@dcrm/kit';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, codes, KEYS, PRIVATE_KEYS, type Response, signIn, startTestStack } from './support/stack.js';

/**
 * Quote documents as PDF through the router: the bytes (base64 in the GraphQL answer) are a PDF whose
 * text a PDF parser reads back — brand, number, revision, lines, discounts, tax, totals, validity,
 * terms — and only callers who may see the quote get one (its customer, staff of its brand and
 * segment, its partner); everyone else gets NOT_FOUND, keys and the chatbot no field at all.
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
