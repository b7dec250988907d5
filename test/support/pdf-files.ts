// Real, minimal PDFs written byte by byte (a correct cross-reference table and
// all), so tests can make one synchronously, with distinct text per file, and
// bend one into exactly the hostile shape a test needs.

export interface PdfParts {
  /** Printed on the page. */
  text?: string;
  /** Extra entries of the document catalog, e.g. '/OpenAction 6 0 R'. */
  catalogExtra?: string;
  /** Extra objects, numbered from 6 on: their bodies, e.g. '<< /S /JavaScript /JS (app.alert(1)) >>'. */
  objects?: string[];
  /** Extra entries of the trailer, e.g. '/Encrypt 6 0 R'. */
  trailerExtra?: string;
  /** Bytes after %%EOF. */
  after?: string;
}

const escapePdfText = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);

export function pdfBytes(parts: PdfParts = {}): Buffer {
  const content = `BT /F1 14 Tf 72 770 Td (${escapePdfText(parts.text ?? 'trademark registration certificate')}) Tj ET`;
  const bodies = [
    `<< /Type /Catalog /Pages 2 0 R ${parts.catalogExtra ?? ''}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...(parts.objects ?? []),
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${parts.trailerExtra ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(out, 'latin1'), Buffer.from(parts.after ?? '', 'latin1')]);
}

export const pdfUpload = (name: string, parts: PdfParts = {}) =>
  new File([new Uint8Array(pdfBytes(parts))], name, { type: 'application/pdf' });
