import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link, useNavigate } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import { Loading, RequestFailed } from '../ui/status.tsx';
import { BrandListQuery, BrandRegisterMutation } from './brand.operations.ts';
import { words } from './format.ts';
import { FormErrors, TextField } from './form-fields.tsx';
import { failureMessage } from './mutation-failure.ts';
import { StatusTag } from './status-tag.tsx';
import { noErrors, sortErrors } from './user-errors.ts';
import './brand.css';

/** A slug suggested from the name: lowercase letters, digits and dashes. */
const slugFrom = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

function RegisterBrandForm() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [result, register] = useMutation(BrandRegisterMutation);
  const payload = result.data?.registerBrand;
  const errors = payload ? sortErrors(payload.userErrors, ['name', 'slug']) : noErrors;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await register({ input: { name: name.trim(), slug: slug.trim() } });
    const brand = answer.data?.registerBrand.brand;
    if (brand) navigate(`/console/brand/${encodeURIComponent(brand.slug)}`);
  }

  return (
    <form className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="register-brand">
      <h2 id="register-brand">Register a brand</h2>
      <p>You become the brand's owner. Then upload a trademark certificate: once a reviewer approves it, the brand is verified.</p>
      <TextField
        label="Brand name"
        name="name"
        required
        value={name}
        errors={errors.byField.name}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugEdited) setSlug(slugFrom(e.target.value));
        }}
      />
      <TextField
        label="Web address name"
        name="slug"
        required
        value={slug}
        hint="Lowercase letters, digits and dashes, 3 to 40 characters. Shoppers see it in product-code links."
        errors={errors.byField.slug}
        onChange={(e) => {
          setSlug(e.target.value);
          setSlugEdited(true);
        }}
      />
      <FormErrors errors={errors} failure={failureMessage(result.error)} />
      <div>
        <button type="submit" disabled={result.fetching}>
          {result.fetching ? 'Registering…' : 'Register brand'}
        </button>
      </div>
    </form>
  );
}

export default function BrandListPage() {
  const [{ data, fetching, error }] = useQuery({ query: BrandListQuery });
  const brands = data?.me?.brands ?? [];
  return (
    <Page title="Your brands">
      {fetching && !data ? (
        <Loading what="your brands" />
      ) : error ? (
        <RequestFailed error={error} what="your brands" />
      ) : brands.length === 0 ? (
        <p>You are not in any brand's team yet. Register your brand below, or ask its owner to invite you.</p>
      ) : (
        <table className="data">
          <caption>Brands you work for</caption>
          <thead>
            <tr>
              <th scope="col">Brand</th>
              <th scope="col">Status</th>
              <th scope="col">Your role</th>
            </tr>
          </thead>
          <tbody>
            {brands.map((brand) => (
              <tr key={brand.id}>
                <td>
                  <Link to={`/console/brand/${encodeURIComponent(brand.slug)}`}>{brand.name}</Link>
                </td>
                <td>
                  <StatusTag status={brand.status} />
                </td>
                <td>{words(brand.myRole)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RegisterBrandForm />
    </Page>
  );
}
