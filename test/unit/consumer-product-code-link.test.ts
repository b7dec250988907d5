import { describe, expect, it } from 'vitest';
import {
  codeInWords,
  landingPath,
  normalizeGtin,
  readLinkPath,
  readProductReference,
} from '../../src/console/app/consumer/product-code-link.js';

// What a shopper pastes or scans, read into the brand and code verifyProductCode takes.

describe('reading product code links', () => {
  it('takes GTIN-8, -12, -13 and -14 with a correct check digit, as 14 digits', () => {
    expect(normalizeGtin('09506000134352')).toBe('09506000134352');
    expect(normalizeGtin('9506000134352')).toBe('09506000134352');
    expect(normalizeGtin('036000291452')).toBe('00036000291452');
    expect(normalizeGtin('96385074')).toBe('00000096385074');
    expect(normalizeGtin('09506000134353')).toBeNull();
    expect(normalizeGtin('950600013435')).toBeNull();
    expect(normalizeGtin('95060001343AB')).toBeNull();
  });

  it("reads the service's own link as brand and code, percent-decoded", () => {
    expect(readProductReference('https://brand-auth.example/c/alice-shoes/AS-0001-XK')).toEqual({
      ok: true,
      reference: { brand: 'alice-shoes', code: 'AS-0001-XK' },
    });
    expect(readLinkPath('/c/alice-shoes/AS%2F01')).toEqual({ ok: true, reference: { brand: 'alice-shoes', code: 'AS/01' } });
  });

  it('reads a GS1 Digital Link as the element string 01<GTIN-14>21<serial>, with the brand only from the service path', () => {
    expect(readProductReference('https://id.example/01/9506000134352/21/ABC%2B1?linkType=gs1:pip')).toEqual({
      ok: true,
      reference: { code: '010950600013435221ABC+1' },
    });
    expect(readLinkPath('/c/alice-shoes/01/09506000134352/10/LOT7/21/ABC1')).toEqual({
      ok: true,
      reference: { brand: 'alice-shoes', code: '010950600013435221ABC1' },
    });
    expect(readProductReference('https://id.example/products/01/09506000134352/22/2A/21/X9Y8')).toEqual({
      ok: true,
      reference: { code: '010950600013435221X9Y8' },
    });
  });

  it('says what is wrong with links that name no single item', () => {
    expect(readProductReference('https://id.example/01/09506000134352')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no serial number/),
    });
    expect(readProductReference('https://id.example/01/09506000134353/21/A')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/GTIN/),
    });
    expect(readProductReference('https://shop.example/products/42')).toMatchObject({ ok: false });
    expect(readProductReference('   ')).toMatchObject({ ok: false });
  });

  it('takes anything else as the printed code, trimmed', () => {
    expect(readProductReference('  AS-0001-XK ')).toEqual({ ok: true, reference: { code: 'AS-0001-XK' } });
  });

  it('names GS1 item codes in words and builds landing paths', () => {
    expect(codeInWords('010950600013435221ABC1')).toBe('GTIN 09506000134352, serial ABC1');
    expect(codeInWords('AS-0001-XK')).toBe('AS-0001-XK');
    expect(landingPath({ brand: 'alice-shoes', code: 'A/B 1' })).toBe('/c/alice-shoes/A%2FB%201');
  });
});
