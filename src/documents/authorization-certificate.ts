import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

// A brand that authorizes a store online uploads no letter: the service writes
// the letter itself, as a one-page certificate, and stores it like any other
// document (with its sha256). The certificate states what the authorization
// record says; the record, not the PDF, is what the badge rests on.

export interface CertificateFacts {
  letterId: string;
  brandName: string;
  storeName: string;
  scope: string;
  validFrom: Date;
  validUntil: Date;
  issuedAt: Date;
  issuedBy: string;
  allowsSubLicensing: boolean;
}

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = 56;

// The standard fonts encode WinAnsi only: letters with accents are kept when
// they decompose to a Latin base, anything else prints as "?" (the names are
// exact in the record the certificate points to).
function printable(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return ch;
      if (ch === '\n' || ch === '\t') return ' ';
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      return /^[\x20-\x7e]+$/.test(base) ? base : '?';
    })
    .join('');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    // A word wider than the line is cut where it overflows.
    while (font.widthOfTextAtSize(line, size) > width) {
      let cut = line.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  return lines;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The certificate's PDF bytes; the same facts give the same file. */
export async function authorizationCertificatePdf(facts: CertificateFacts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const title = `Authorization certificate: ${printable(facts.brandName)}`;
  pdf.setTitle(title);
  pdf.setAuthor(printable(facts.brandName));
  pdf.setCreator('brand-auth');
  pdf.setProducer('brand-auth');
  pdf.setCreationDate(facts.issuedAt);
  pdf.setModificationDate(facts.issuedAt);
  const page = pdf.addPage([PAGE.width, PAGE.height]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const width = PAGE.width - 2 * MARGIN;
  let y = PAGE.height - MARGIN;

  const write = (text: string, font: PDFFont, size: number, gapAfter = 6) => {
    for (const line of wrap(printable(text), font, size, width)) {
      y -= size;
      page.drawText(line, { x: MARGIN, y, size, font, color: rgb(0, 0, 0) });
      y -= 4;
    }
    y -= gapAfter;
  };

  write('Certificate of authorization', bold, 22, 18);
  write(
    `${facts.brandName} authorizes the store "${facts.storeName}" to sell its products as an official authorized store, ` +
      'within the scope and for the period below.',
    regular,
    12,
    16,
  );
  const rows: Array<[string, string]> = [
    ['Brand', facts.brandName],
    ['Store', facts.storeName],
    ['Scope', facts.scope],
    ['Valid from', day(facts.validFrom)],
    ['Valid until', day(facts.validUntil)],
    ['Sub-licensing', facts.allowsSubLicensing ? 'The store may authorize sub-resellers.' : 'Not allowed.'],
    ['Issued at', facts.issuedAt.toISOString()],
    ['Issued by', facts.issuedBy],
    ['Authorization', facts.letterId],
  ];
  for (const [label, value] of rows) {
    write(label, bold, 10, 0);
    write(value, regular, 12, 8);
  }
  y -= 8;
  write(
    'Issued online by the brand, a verified rights holder, through the platform. The authorization is current only while the ' +
      "platform shows it as APPROVED and the store's badge as ACTIVE.",
    regular,
    9,
  );
  return pdf.save({ useObjectStreams: false });
}
