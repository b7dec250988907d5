import { useState, type FormEvent } from 'react';
import { useClient, useQuery } from 'urql';
import { Link, useLocation, useNavigate } from '../shell/router.tsx';
import { Page } from '../ui/page.tsx';
import {
  ConsumerFileComplaintMutation,
  ConsumerFindStoreQuery,
  ConsumerReportBrandQuery,
  ConsumerSubmitComplaintMutation,
} from './consumer.operations.ts';
import { FieldProblem, TextField, mutationProblems, type FieldProblems } from './form-fields.tsx';
import { PhotoPicker, usePhotoUploads } from './photo-picker.tsx';
import './consumer.css';

const ANSWER_WORDS: Record<string, string> = {
  GENUINE_REPEATED: 'checked before',
  UNKNOWN: 'unknown code',
  REVOKED: 'withdrawn code',
};

/** A web address as typed ("shop.example/p/1" is taken as https). */
const asUrl = (text: string) => (/^https?:\/\//i.test(text) ? text : `https://${text}`);

/**
 * Reporting a doubtful product: which store sold it, the order, what is wrong
 * and photos. Files the complaint, sends each photo (with progress) and sends
 * the complaint; a failed photo can be replaced and sent again without filing twice.
 */
export default function ReportPage() {
  const { search } = useLocation();
  const navigate = useNavigate();
  const client = useClient();
  const query = new URLSearchParams(search);
  const brandSlug = query.get('brand') ?? '';
  const code = query.get('code') ?? '';
  const answer = query.get('answer') ?? '';
  const [{ data: brandData }] = useQuery({ query: ConsumerReportBrandQuery, variables: { slug: brandSlug }, pause: !brandSlug });
  const brand = brandData?.brand ?? null;

  const [store, setStore] = useState('');
  const [listingUrl, setListingUrl] = useState('');
  const [orderReference, setOrderReference] = useState('');
  const [description, setDescription] = useState('');
  const uploads = usePhotoUploads();
  const [complaintId, setComplaintId] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldProblems>({});
  const [step, setStep] = useState<string | null>(null);

  const describe = () =>
    code
      ? `${description.trim()}\n\nProduct code ${code} (${brand?.name ?? brandSlug}): ${ANSWER_WORDS[answer] ?? 'checked'}.`
      : description.trim();

  /** Files the complaint once; later attempts reuse it. */
  async function fileOnce(): Promise<string | FieldProblems> {
    if (complaintId) return complaintId;
    setStep('Finding the store…');
    const found = await client.query(ConsumerFindStoreQuery, { handleOrUrl: store.trim() }).toPromise();
    if (found.error) return { form: 'The store could not be looked up. Check your connection and try again.' };
    const storeId = found.data?.findStore?.id;
    if (!storeId) {
      return {
        store:
          'No store by that name or web address. Enter the store’s name on this service (as on its page, e.g. acme-outlet) or the address of its own shop.',
      };
    }
    setStep('Filing your report…');
    const listing = listingUrl.trim();
    const filed = await client
      .mutation(ConsumerFileComplaintMutation, {
        input: {
          storeId,
          ...(brand ? { brandId: brand.id } : {}),
          orderReference: orderReference.trim(),
          description: describe(),
          ...(listing ? { listingUrl: asUrl(listing) } : {}),
        },
      })
      .toPromise();
    const payload = filed.data?.fileComplaint;
    const problems = mutationProblems(filed, payload, 'Your report could not be filed. Please try again.');
    if (problems) return problems;
    setComplaintId(payload!.complaint!.id);
    return payload!.complaint!.id;
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: FieldProblems = {};
    if (!store.trim()) missing.store = 'Enter the store you bought it from.';
    if (!orderReference.trim()) missing.orderReference = 'Enter the order number from your receipt or confirmation e-mail.';
    if (!description.trim()) missing.description = 'Say what is wrong with the product.';
    if (uploads.photos.length === 0) missing.photos = 'Add at least one photo of the product.';
    setProblems(missing);
    if (Object.keys(missing).length > 0) return;
    try {
      const filed = await fileOnce();
      if (typeof filed !== 'string') return setProblems(filed);
      const photoProblem = await uploads.sendAll(filed, (index, total) => setStep(`Sending photo ${index + 1} of ${total}…`));
      if (photoProblem) return setProblems({ photos: `${photoProblem} Remove it or choose another photo, then send again.` });
      setStep('Sending your report…');
      const submitted = await client.mutation(ConsumerSubmitComplaintMutation, { complaintId: filed }).toPromise();
      const problems = mutationProblems(submitted, submitted.data?.submitComplaint, 'Your report could not be sent. Please try again.');
      if (problems) return setProblems(problems);
      navigate(`/console/complaints/${encodeURIComponent(filed)}?sent=1`);
    } finally {
      setStep(null);
    }
  };

  const busy = step !== null;
  return (
    <Page title="Report a product">
      {code ? (
        <p>
          You are reporting the product with code <strong className="code">{code}</strong>
          {brand ? (
            <>
              {' '}
              of <strong>{brand.name}</strong>
            </>
          ) : null}{' '}
          ({ANSWER_WORDS[answer] ?? 'checked'}). A reviewer looks at your photos and the store’s answer; if the product is counterfeit, the
          store is warned and you receive a coupon.
        </p>
      ) : (
        <p>Tell us where you bought a product you think is counterfeit. A reviewer looks at your photos and the store’s answer.</p>
      )}
      {complaintId && (
        <p className="notice">
          Your report is filed but not sent yet: it is saved under{' '}
          <Link to={`/console/complaints/${encodeURIComponent(complaintId)}`}>your complaints</Link>.
        </p>
      )}
      <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={busy}>
        <TextField
          id="report-store"
          label="Store you bought it from"
          hint="The store’s name on this service (e.g. acme-outlet) or the web address of its shop."
          value={store}
          onChange={setStore}
          problem={problems.store}
          disabled={busy || complaintId !== null}
        />
        <TextField
          id="report-listing"
          label="Link to the product page (optional)"
          hint="Where you bought it, e.g. https://shop.example/products/42."
          value={listingUrl}
          onChange={setListingUrl}
          problem={problems.listingUrl}
          disabled={busy || complaintId !== null}
          inputMode="url"
        />
        <TextField
          id="report-order"
          label="Order number"
          hint="From your receipt or order confirmation."
          value={orderReference}
          onChange={setOrderReference}
          problem={problems.orderReference}
          disabled={busy || complaintId !== null}
        />
        <TextField
          id="report-description"
          label="What is wrong with it?"
          hint="For example: the logo is misspelt, the stitching is loose, the box differs from the brand’s."
          value={description}
          onChange={setDescription}
          problem={problems.description}
          disabled={busy || complaintId !== null}
          multiline
        />
        <PhotoPicker id="report-photos" label="Photos of the product" uploads={uploads} problem={problems.photos} disabled={busy} />
        <FieldProblem id="report-form-problem" problem={problems.form ?? problems.complaintId} />
        <button type="submit" disabled={busy}>
          Send my report
        </button>
        {step && (
          <p role="status" className="step">
            {step}
          </p>
        )}
      </form>
    </Page>
  );
}
