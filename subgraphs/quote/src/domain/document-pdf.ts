import PDFDocument from 'pdfkit';
import type { DocumentView } from './document.js';

/**
 * A quote document as PDF (pdfkit: pure JavaScript, no browser, no network). The brand's name and
 * primary/accent colours style it; the text is set in the built-in Helvetica (a PDF reader always has
 * it, so nothing is embedded or fetched — neither the brand's web font nor its logo URL). Every string
 * is drawn as text, never interpreted, and characters the font cannot show become "?".
 */
export type PdfOptions = {
  /** Deflate content streams (default). Off only where a test reads the raw text operators. */
  compress?: boolean;
  /** The document's creation date (kept in its metadata): the quote's, so a revision renders the same. */
  createdAt: Date;
};

const MARGIN = 50;
const COLUMNS = [
  { title: 'Product', x: 0, width: 215, align: 'left' },
  { title: 'Qty', x: 215, width: 35, align: 'right' },
  { title: 'Monthly', x: 250, width: 85, align: 'right' },
  { title: 'One-off', x: 335, width: 85, align: 'right' },
  { title: 'Discount', x: 420, width: 75, align: 'right' },
] as const;
const ROW = 18;

// pdfkit takes #rgb and #rrggbb; a brand colour with alpha (#rrggbbaa) keeps its colour.
const pdfColour = (hex: string) =>
  /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(hex) ? hex : /^#[0-9a-f]{8}$/i.test(hex) ? hex.slice(0, 7) : '#333333';

// The standard fonts are WinAnsi-encoded: Latin-1 plus the typographic marks below.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const text = (value: string | number) =>
  [...String(value)].map((ch) => (/[\x20-\x7e\xa0-\xff]/.test(ch) || WIN_ANSI_EXTRA.includes(ch) ? ch : '?')).join('');

/** The quote as PDF bytes. */
export async function renderQuotePdf(view: DocumentView, options: PdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    info: { Title: text(`${view.brand} quote ${view.number}`), Author: text(view.brand), CreationDate: options.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const primary = pdfColour(view.primary);
  const accent = pdfColour(view.accent);
  const width = doc.page.width - 2 * MARGIN;

  doc.font('Helvetica-Bold').fontSize(20).fillColor(primary).text(text(view.brand));
  doc
    .fontSize(14)
    .fillColor('#222222')
    .text(text(`Quote ${view.number} (revision ${view.revision})`));
  doc.moveDown(0.5).font('Helvetica').fontSize(10);
  doc
    .text(text(`For: ${view.recipient}`))
    .text(text(`Status: ${view.status}`))
    .text(text(`Valid until: ${view.validUntil}`));
  doc.moveDown();

  const header = () => {
    const y = doc.y;
    doc.rect(MARGIN, y - 3, width, ROW).fill(primary);
    doc.font('Helvetica-Bold').fillColor('#ffffff');
    for (const c of COLUMNS) doc.text(c.title, MARGIN + c.x + 2, y, { width: c.width - 4, align: c.align, lineBreak: false });
    doc.font('Helvetica').fillColor('#222222');
    doc.x = MARGIN;
    doc.y = y + ROW;
  };
  header();
  for (const line of view.lines) {
    if (doc.y > doc.page.height - MARGIN - 2 * ROW) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    const cells = [line.addOn ? `  + ${line.name}` : line.name, line.quantity, line.monthly, line.oneOff, line.discount];
    for (const [i, c] of COLUMNS.entries())
      doc.text(text(cells[i] ?? ''), MARGIN + c.x + 2, y, { width: c.width - 4, align: c.align, lineBreak: false, ellipsis: true });
    doc.x = MARGIN;
    doc.y = y + ROW;
  }

  doc.moveDown();
  if (view.discount) doc.text(text(`Quote discount: ${view.discount}`));
  for (const name of view.promotions) doc.text(text(`Promotion: ${name}`));
  doc.text(text(`Tax: ${view.taxOneOff} now, ${view.taxRecurring} monthly`));
  doc.moveDown(0.5).font('Helvetica-Bold').fontSize(12).fillColor(accent);
  doc.text(text(`Due now: ${view.dueNow}`)).text(text(`Monthly: ${view.monthly}`));
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#222222')
    .text(text(`${view.currency}, tax included`));

  doc.moveDown().font('Helvetica-Bold').fontSize(11).fillColor(primary).text('Terms');
  doc.font('Helvetica').fontSize(9).fillColor('#222222');
  for (const term of view.terms) doc.text(text(`• ${term}`), { width });
  doc.end();
  return done;
}
