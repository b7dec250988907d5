import { useRef, useState, type FormEvent } from 'react';
import { BrandSubmitTrademarkMutation } from './brand.operations.ts';
import { formatBytes } from './format.ts';
import { FormErrors, Saved, TextField } from './form-fields.tsx';
import { UploadFailed, uploadWithProgress, type UploadProgress } from './multipart-upload.ts';
import { ProgressBar } from './progress-bar.tsx';
import { noErrors, sortErrors, type SortedErrors } from './user-errors.ts';

const FIELDS = ['registrationNumber', 'office', 'niceClasses', 'holderName', 'validFrom', 'validUntil', 'certificate'];
const MAX_BYTES = 15 * 1024 * 1024;
const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/** `2025-01-31` from a date input, as the start of that day in UTC. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00Z`).toISOString() : '');

/** Uploads a trademark's registration certificate with the trademark's details, showing how much is sent. */
export function TrademarkUploadForm({ brandId, onSubmitted }: { brandId: string; onSubmitted: () => void }) {
  const form = useRef<HTMLFormElement>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [errors, setErrors] = useState<SortedErrors>(noErrors);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get('certificate');
    setDone(null);
    setFailure(null);
    if (!(file instanceof File) || file.size === 0) {
      setErrors({ byField: { certificate: ['Choose the certificate file.'] }, general: [] });
      return;
    }
    if (!TYPES.includes(file.type) || file.size > MAX_BYTES) {
      setErrors({
        byField: { certificate: [`The certificate must be a PDF, JPEG or PNG of at most 15 MB; this is ${formatBytes(file.size)}.`] },
        general: [],
      });
      return;
    }
    const niceClasses = String(data.get('niceClasses') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (niceClasses.some((n) => !Number.isInteger(n))) {
      setErrors({ byField: { niceClasses: ['Give the Nice classes as whole numbers, separated by commas (e.g. 18, 25).'] }, general: [] });
      return;
    }
    setErrors(noErrors);
    setProgress({ loaded: 0, total: file.size });
    try {
      const answer = await uploadWithProgress(
        BrandSubmitTrademarkMutation,
        {
          input: {
            brandId,
            registrationNumber: String(data.get('registrationNumber') ?? '').trim(),
            office: String(data.get('office') ?? '').trim(),
            niceClasses,
            holderName: String(data.get('holderName') ?? '').trim(),
            validFrom: dayStart(String(data.get('validFrom') ?? '')),
            validUntil: dayStart(String(data.get('validUntil') ?? '')),
            certificate: null as unknown as File,
          },
        },
        'input.certificate',
        file,
        setProgress,
      );
      const payload = answer.submitTrademark;
      setErrors(sortErrors(payload.userErrors, FIELDS));
      if (payload.trademark) {
        setDone(`Uploaded ${payload.trademark.document?.filename ?? file.name}. A reviewer will check it.`);
        form.current?.reset();
        onSubmitted();
      }
    } catch (error) {
      setFailure(error instanceof UploadFailed ? error.message : 'The upload failed. Please try again.');
    } finally {
      setProgress(null);
    }
  }

  return (
    <form ref={form} className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="upload-trademark" noValidate>
      <h2 id="upload-trademark">Upload a trademark certificate</h2>
      <TextField label="Registration number" name="registrationNumber" required errors={errors.byField.registrationNumber} />
      <TextField
        label="Issuing office"
        name="office"
        required
        hint="For example EUIPO, USPTO, CNIPA, UKIPO, JPO."
        errors={errors.byField.office}
      />
      <TextField
        label="Nice classes"
        name="niceClasses"
        required
        hint="The classes of goods it covers, e.g. 18, 25."
        errors={errors.byField.niceClasses}
      />
      <TextField
        label="Holder's name"
        name="holderName"
        required
        hint="As printed on the certificate."
        errors={errors.byField.holderName}
      />
      <TextField label="Valid from" name="validFrom" type="date" required errors={errors.byField.validFrom} />
      <TextField label="Valid until" name="validUntil" type="date" required errors={errors.byField.validUntil} />
      <TextField
        label="Certificate file"
        name="certificate"
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        required
        hint="A PDF, JPEG or PNG of the registration certificate, at most 15 MB."
        errors={errors.byField.certificate}
      />
      {progress && <ProgressBar label="Uploading the certificate" done={progress.loaded} total={progress.total} />}
      <FormErrors errors={errors} failure={failure} />
      {done && <Saved>{done}</Saved>}
      <div>
        <button type="submit" disabled={progress !== null}>
          {progress ? 'Uploading…' : 'Upload for review'}
        </button>
      </div>
    </form>
  );
}
