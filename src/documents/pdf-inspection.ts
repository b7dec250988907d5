import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFObject } from 'pdf-lib';

// A PDF certificate or letter is read by reviewers in whatever viewer they
// have, so it must be a document and nothing more. It is parsed with pdf-lib
// (a full parse: every object, object streams included, with #xx escapes in
// names decoded) and refused when it
//   - does not parse, or has no page;
//   - is encrypted (its content can't be inspected, and a reviewer may not open it);
//   - carries active content: JavaScript, actions run on opening or on events
//     (OpenAction with an action, AA), Launch, embedded files and file
//     attachments, RichMedia (Flash/video), XFA forms (which script themselves);
//   - has bytes after its last %%EOF other than whitespace: that is where an
//     HTML page, a ZIP or a script rides along in a polyglot file.
//
// An accepted PDF is stored byte for byte, not re-saved through pdf-lib: a
// certificate from a trademark office is often digitally signed, and a
// signature covers the exact bytes; re-saving would break it. Refusing trailing
// bytes gets what re-saving would have dropped.

/** Names that mean active content wherever they appear, as a key or as a value. */
const ACTIVE_CONTENT = new Set([
  'JavaScript',
  'JS',
  'AA',
  'Launch',
  'EmbeddedFiles',
  'EmbeddedFile',
  'RichMedia',
  'RichMediaExecute',
  'XFA',
  'FileAttachment',
]);

// PDF whitespace: NUL, tab, line feed, form feed, carriage return, space.
const TRAILING_WHITESPACE = /^[\0\t\n\f\r ]*$/;

/** `unreadable`: not a complete PDF. `refused`: a PDF, but not one we accept. */
export type PdfVerdict = { ok: true; pages: number } | { ok: false; kind: 'unreadable' | 'refused'; reason: string };

const unreadable = (reason: string): PdfVerdict => ({ ok: false, kind: 'unreadable', reason });
const refused = (reason: string): PdfVerdict => ({ ok: false, kind: 'refused', reason });

export async function inspectPdf(bytes: Uint8Array): Promise<PdfVerdict> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const eof = text.lastIndexOf('%%EOF');
  if (eof < 0) return unreadable('it has no %%EOF marker, so it is incomplete');
  if (!TRAILING_WHITESPACE.test(text.slice(eof + 5))) return refused('it has data after its end (%%EOF)');

  let document: PDFDocument;
  try {
    // Loaded even when encrypted, to tell that case apart: pdf-lib's own
    // EncryptedPDFError does not survive instanceof (its classes are ES5-compiled).
    document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true, ignoreEncryption: true });
  } catch {
    return unreadable('it could not be read as a PDF');
  }
  if (document.isEncrypted || document.context.trailerInfo.Encrypt) return refused('it is encrypted');

  let pages: number;
  try {
    pages = document.getPageCount();
  } catch {
    return unreadable('its page tree could not be read');
  }
  if (pages < 1) return unreadable('it has no page');

  for (const [, object] of document.context.enumerateIndirectObjects()) {
    const found = activeContentIn(object);
    if (found) return refused(`it contains active content (${found})`);
  }
  return { ok: true, pages };
}

/** The first name of active content within an object (not following references: each indirect object is visited on its own). */
function activeContentIn(object: PDFObject): string | null {
  if (object instanceof PDFName) {
    const name = object.decodeText();
    return ACTIVE_CONTENT.has(name) ? `/${name}` : null;
  }
  if (object instanceof PDFStream) return activeContentIn(object.dict);
  if (object instanceof PDFArray) {
    for (const item of object.asArray()) {
      const found = activeContentIn(item);
      if (found) return found;
    }
    return null;
  }
  if (object instanceof PDFDict) {
    for (const [key, value] of object.entries()) {
      const name = key.decodeText();
      if (ACTIVE_CONTENT.has(name)) return `/${name}`;
      // A document may open at a page (a destination array, which many
      // generators write); an OpenAction that is an action dictionary is refused.
      if (name === 'OpenAction' && !(value instanceof PDFArray)) return '/OpenAction';
      const found = activeContentIn(value);
      if (found) return found;
    }
  }
  return null;
}
