import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from '../../src/tlog/checkpoint.js';
import { cosignatureTimestamp, cosignatureVerifier, cosigner } from '../../src/tlog/cosignature.js';
import { EMPTY_ROOT } from '../../src/tlog/hashing.js';
import {
  addSignatures,
  decodeBase64Strict,
  generateNoteKey,
  noteSigner,
  noteVerifier,
  openNote,
  parseVkey,
  signNote,
} from '../../src/tlog/note.js';

// From the C2SP signed-note specification.
const specVkey = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const specNote =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
// From the documentation of golang.org/x/mod/sumdb/note.
const goSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const goVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const goNote = `${goText}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('signed notes: known answers', () => {
  it('verifies the signed-note specification example', () => {
    const opened = openNote(specNote, [noteVerifier(specVkey)]);
    expect(opened.text).toBe('This is an example message.\n');
    expect(opened.verified).toEqual([{ name: 'example.com/foo', keyId: 0x530d903a, base64: expect.stringMatching(/^Uw2QOk/) }]);
  });

  it('signs the sumdb/note example to the very bytes documented, and derives its vkey', () => {
    const signer = noteSigner(goSkey);
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(signNote(goText, [signer])).toBe(goNote);
    expect(openNote(goNote, [noteVerifier(goVkey)]).text).toBe(goText);
    expect(parseVkey(goVkey)).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 1 });
  });

  it('reads the timestamp of the tlog-cosignature specification example', () => {
    const base64 = 'jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
    expect(cosignatureTimestamp({ name: 'witness.example.com/w1', keyId: 0x8d66cf3f, base64 })).toBe(1679315147);
  });
});

describe('opening signed notes', () => {
  const a = generateNoteKey('a.example/log');
  const b = generateNoteKey('b.example/other');
  const text = 'line one\n\nline three after a blank line\n';
  const signed = signNote(text, [noteSigner(a.skey), noteSigner(b.skey)]);

  it('keeps empty lines in the text and splits at the last blank line', () => {
    expect(openNote(signed, [noteVerifier(a.vkey)]).text).toBe(text);
  });

  it('ignores signatures by unknown keys, and by a key sharing only the name', () => {
    const opened = openNote(signed, [noteVerifier(a.vkey)]);
    expect(opened.verified.map((s) => s.name)).toEqual(['a.example/log']);
    expect(opened.unverified.map((s) => s.name)).toEqual(['b.example/other']);
    const sameName = generateNoteKey('a.example/log');
    expect(() => openNote(signed.replace(/— b\.example\/other .*\n/, ''), [noteVerifier(sameName.vkey)])).toThrow(
      expect.objectContaining({ code: 'UNVERIFIED' }),
    );
  });

  it('requires at least one signature from a known key', () => {
    expect(() => openNote(signed, [noteVerifier(generateNoteKey('c.example').vkey)])).toThrow(
      expect.objectContaining({ code: 'UNVERIFIED' }),
    );
    expect(() => openNote(signed, [])).toThrow(expect.objectContaining({ code: 'UNVERIFIED' }));
  });

  it('rejects the whole note when a known key signature fails, even if another verifies', () => {
    const forged = signed.replace('line three', 'line 3');
    expect(() => openNote(forged, [noteVerifier(a.vkey)])).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    const lines = signed.split('\n');
    const bLine = lines.find((l) => l.startsWith('— b.example'))!;
    const badB = bLine.slice(0, -8) + (bLine.slice(-8, -4) === 'AAAA' ? 'BBBB' : 'AAAA') + bLine.slice(-4);
    expect(() => openNote(signed.replace(bLine, badB), [noteVerifier(a.vkey), noteVerifier(b.vkey)])).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
  });

  it('adds a signature to a signed note, keeping the others', () => {
    const c = generateNoteKey('c.example/witness');
    const more = addSignatures(signed, [noteSigner(c.skey)]);
    expect(openNote(more, [noteVerifier(a.vkey), noteVerifier(b.vkey), noteVerifier(c.vkey)]).verified).toHaveLength(3);
    expect(addSignatures(more, [noteSigner(c.skey)]).split('— c.example').length).toBe(2);
  });

  it.each([
    ['no blank line before the signatures', (n: string) => n.replace('\n\n—', '\n—')],
    ['no final newline', (n: string) => n.slice(0, -1)],
    ['a hyphen instead of an em dash', (n: string) => n.replace('— a.example', '- a.example')],
    ['a missing space after the dash', (n: string) => n.replace('— a.example', '—a.example')],
    ['a control character', (n: string) => n.replace('line one', 'line\tone')],
    ['a carriage return', (n: string) => n.replace('line one\n', 'line one\r\n')],
    ['non-canonical base64', (n: string) => n.replace(/(— a\.example\/log \S+)=\n/, '$1\n')],
    ['a signature under 5 bytes', (n: string) => n.replace(/— a\.example\/log \S+\n/, '— a.example/log AAAAAA==\n')],
    ['an empty key name', (n: string) => n.replace('— a.example/log ', '—  ')],
    ['a trailing line that is not a signature', (n: string) => `${n}junk\n`],
    ['more than 100 signatures', (n: string) => n + /— b\.example.*\n/.exec(n)![0].repeat(100)],
  ])('refuses a note with %s', (_, alter) => {
    expect(() => openNote(alter(signed), [noteVerifier(a.vkey)])).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  it('refuses bytes that are not UTF-8, and verifies the exact bytes received (a byte order mark is text)', () => {
    const bytes = Buffer.from(signed);
    expect(openNote(bytes, [noteVerifier(a.vkey)]).text).toBe(text);
    const invalid = Buffer.concat([Buffer.from([0xff]), bytes]);
    expect(() => openNote(invalid, [noteVerifier(a.vkey)])).toThrow(/UTF-8/);
    expect(() => openNote(Buffer.concat([Buffer.from([0xed, 0xa0, 0x80]), bytes]), [noteVerifier(a.vkey)])).toThrow(/UTF-8/);
    expect(() => openNote(`\ud800${signed}`, [noteVerifier(a.vkey)])).toThrow(/UTF-8/);
    expect(() => openNote(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), [noteVerifier(a.vkey)])).toThrow(
      expect.objectContaining({ code: 'BAD_SIGNATURE' }),
    );
    const withBom = signNote('\ufeffbom\n', [noteSigner(a.skey)]);
    expect(openNote(Buffer.from(withBom), [noteVerifier(a.vkey)]).text).toBe('\ufeffbom\n');
  });

  it('refuses bad key names and keys whose ID does not match', () => {
    expect(() => generateNoteKey('has space')).toThrow();
    expect(() => generateNoteKey('has+plus')).toThrow();
    expect(() => generateNoteKey('nbsp\u00a0name')).toThrow();
    expect(() => generateNoteKey('')).toThrow();
    expect(() => noteVerifier(specVkey.replace('530d903a', '530d903b'))).toThrow(/does not match/);
    expect(() => noteVerifier('example.com/foo+530d903a')).toThrow();
    expect(() => noteSigner(goSkey.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match/);
    expect(() => noteVerifier(generateNoteKey('w.example', 0x04).vkey)).toThrow(/not an Ed25519 note key/);
    expect(() => signNote('no newline', [noteSigner(goSkey)])).toThrow(/newline/);
    expect(() => signNote('text\n', [])).toThrow(/at least one/);
  });

  it('decodes base64 only in its canonical spelling', () => {
    expect(decodeBase64Strict('YWI=')).toEqual(Buffer.from('ab'));
    expect(decodeBase64Strict('YWJ=')).toBeNull();
    expect(decodeBase64Strict('YWI')).toBeNull();
    expect(decodeBase64Strict('YW I=')).toBeNull();
    expect(decodeBase64Strict('YW-_')).toBeNull();
  });
});

describe('checkpoints', () => {
  const origin = 'transparency.example.com/badges';
  const log = generateNoteKey(origin);
  const root = Buffer.alloc(32, 0xab);
  const body = `${origin}\n12345\n${root.toString('base64')}\n`;

  it('format as origin, size and base64 root lines, with optional extension lines', () => {
    expect(formatCheckpoint({ origin, size: 12345, root, extensions: [] })).toBe(body);
    expect(parseCheckpoint(`${body}ext one\next two\n`)).toEqual({ origin, size: 12345, root, extensions: ['ext one', 'ext two'] });
    expect(parseCheckpoint(`${origin}\n0\n${EMPTY_ROOT.toString('base64')}\n`).size).toBe(0);
  });

  it.each([
    ['a leading zero in the size', body.replace('12345', '012345')],
    ['a signed size', body.replace('12345', '+12345')],
    ['a size with a space', body.replace('12345', '12345 ')],
    ['a size beyond 2^53', body.replace('12345', '9007199254740993')],
    ['a short root', body.replace(root.toString('base64'), Buffer.alloc(31).toString('base64'))],
    ['a root without padding', body.replace(root.toString('base64'), root.toString('base64').replace('=', ''))],
    ['no root line', `${origin}\n12345\n`],
    ['an empty origin', body.replace(origin, '')],
    ['an empty extension line', `${body}\n`],
    ['no final newline', body.slice(0, -1)],
    ['size 0 with a root other than the empty tree', body.replace('12345', '0')],
  ])('refuse %s', (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
  });

  const w1 = generateNoteKey('w1.example', 0x04);
  const w2 = generateNoteKey('w2.example', 0x04);
  const signed = signCheckpoint({ origin, size: 12345, root, extensions: [] }, [noteSigner(log.skey)]);
  const cosigned = addSignatures(signed, [cosigner(w1.skey, () => 1_800_000_000), cosigner(w2.skey, () => 1_800_000_001)]);
  const policy = { origin, log: noteVerifier(log.vkey), witnesses: [cosignatureVerifier(w1.vkey), cosignatureVerifier(w2.vkey)] };

  it('open under a policy: log signature, origin, and a quorum of witness cosignatures with their times', () => {
    const opened = openCheckpoint(cosigned, { ...policy, quorum: 2 });
    expect(opened.checkpoint.size).toBe(12345);
    expect(opened.cosignatures).toEqual([
      { name: 'w1.example', keyId: expect.any(Number), timestamp: 1_800_000_000 },
      { name: 'w2.example', keyId: expect.any(Number), timestamp: 1_800_000_001 },
    ]);
    expect(() => openCheckpoint(signed, { ...policy, quorum: 1 })).toThrow(/0 witness cosignatures, 1 required/);
    expect(() => openCheckpoint(cosigned, { ...policy, origin: 'other.example/log' })).toThrow(/origin/);
  });

  it('refuse a checkpoint the witnesses cosigned but the log did not sign', () => {
    const witnessOnly = cosigned.replace(/— transparency\.example\.com\/badges .*\n/, '');
    expect(() => openCheckpoint(witnessOnly, policy)).toThrow(/not signed by the log key/);
  });

  it('refuse a cosignature whose timestamp or text was changed', () => {
    const w1Line = cosigned.split('\n').find((l) => l.startsWith('— w1.example'))!;
    const sig = decodeBase64Strict(w1Line.split(' ')[2]!)!;
    sig.writeBigUInt64BE(1_800_000_005n, 4);
    const moved = cosigned.replace(w1Line, `— w1.example ${sig.toString('base64')}`);
    expect(() => openCheckpoint(moved, policy)).toThrow(expect.objectContaining({ code: 'BAD_SIGNATURE' }));
    // The cosignature signs "cosignature/v1\ntime <t>\n" + text; a plain Ed25519 note signature over the text is something else.
    expect(cosignatureVerifier(w1.vkey).verify(Buffer.from(body), sig.subarray(4))).toBe(false);
  });
});
