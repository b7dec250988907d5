import { describe, expect, it } from 'vitest';
import { authorizationCertificatePdf, type CertificateFacts } from '../../src/documents/authorization-certificate.js';
import { inspectPdf } from '../../src/documents/pdf-inspection.js';

const facts: CertificateFacts = {
  letterId: '6f1c2a9e-5b7d-4c1e-9f3a-2d8e7b6a5c4d',
  brandName: 'Acme',
  storeName: 'Corner Shop',
  scope: 'All products, EU marketplaces',
  validFrom: new Date('2026-12-01T00:00:00Z'),
  validUntil: new Date('2027-06-01T00:00:00Z'),
  issuedAt: new Date('2026-12-06T12:00:00Z'),
  issuedBy: 'brand-owner',
  allowsSubLicensing: false,
};

describe('the authorization certificate', () => {
  it('is a one-page PDF the document checks accept', async () => {
    expect(await inspectPdf(await authorizationCertificatePdf(facts))).toEqual({ ok: true, pages: 1 });
  });

  it('is the same file for the same facts, and another for other facts', async () => {
    const first = Buffer.from(await authorizationCertificatePdf(facts));
    expect(Buffer.from(await authorizationCertificatePdf({ ...facts })).equals(first)).toBe(true);
    expect(Buffer.from(await authorizationCertificatePdf({ ...facts, allowsSubLicensing: true })).equals(first)).toBe(false);
  });

  it('prints names outside the standard fonts without failing, and wraps a long scope on the page', async () => {
    const pdf = await authorizationCertificatePdf({
      ...facts,
      brandName: 'Ünïcode Brånd 東京 🚀',
      storeName: 'Łódź Sklep\nnew line',
      scope: `${'Footwear '.repeat(50)}${'x'.repeat(300)}`,
    });
    expect(await inspectPdf(pdf)).toEqual({ ok: true, pages: 1 });
  });
});
