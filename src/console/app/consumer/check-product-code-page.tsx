import { useState, type FormEvent } from 'react';
import { useNavigate } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { TextField } from './form-fields.tsx';
import { landingPath, readProductReference } from './product-code-link.ts';
import './consumer.css';

/** A brand's slug from its name as printed ("Alice Shoes" → alice-shoes); slugs are what links carry. */
export const brandSlugOf = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

type Problems = { code?: string; brand?: string };

export default function CheckProductCodePage() {
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [brand, setBrand] = useState('');
  const [problems, setProblems] = useState<Problems>({});

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const read = readProductReference(code);
    if (!read.ok) return setProblems({ code: read.problem });
    const slug = read.reference.brand ?? brandSlugOf(brand);
    if (!slug) return setProblems({ brand: 'Enter the brand’s name as printed on the product.' });
    setProblems({});
    navigate(landingPath({ brand: slug, code: read.reference.code }));
  };

  return (
    <Page title="Check a product code">
      <p>
        Scan the QR code on the product’s label with your phone’s camera, or type the printed code here. You will see at once whether the
        code belongs to a genuine product. No sign-in needed.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          id="check-code"
          label="Code, or the link from the QR code"
          hint="For example AS-0001-XK, or a link such as https://id.example/01/09506000134352/21/ABC123."
          value={code}
          onChange={setCode}
          problem={problems.code}
        />
        <TextField
          id="check-brand"
          label="Brand"
          hint="The brand’s name as printed on the product. Not needed when the link names it."
          value={brand}
          onChange={setBrand}
          problem={problems.brand}
        />
        <button type="submit">Check</button>
      </form>
    </Page>
  );
}
