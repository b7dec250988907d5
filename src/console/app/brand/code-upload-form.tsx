import { useState, type FormEvent } from 'react';
import { useClient } from 'urql';
import { chunksOf, parseCodeCsv, type RejectedRow } from './code-csv.ts';
import { FormErrors, TextField } from './form-fields.tsx';
import { failureMessage } from './mutation-failure.ts';
import { BrandAssignBatchMutation, BrandRegisterCodesMutation } from './product-codes.operations.ts';
import { ProgressBar } from './progress-bar.tsx';
import { noErrors, sortErrors, type SortedErrors } from './user-errors.ts';

// The service takes up to 10,000 codes a call within a 1 MiB body; 1,000 codes of up to
// 128 characters stay far below both and move the bar often enough to watch.
const CODES_PER_CALL = 1000;

interface Report {
  registered: number;
  duplicates: number;
  rejected: RejectedRow[];
  batchesAssigned: string[];
  stoppedBy: string | null;
}

function UploadReport({ report }: { report: Report }) {
  return (
    <section aria-labelledby="upload-report" className="brand-form">
      <h3 id="upload-report">Upload report</h3>
      <p role="status">
        {report.registered} codes registered, {report.duplicates} already registered (left as they were), {report.rejected.length} rows
        rejected.
        {report.batchesAssigned.length > 0 && ` Distributor recorded for ${report.batchesAssigned.join(', ')}.`}
      </p>
      {report.stoppedBy && (
        <p role="alert" className="error">
          The upload stopped: {report.stoppedBy} Codes sent before that are registered; send the file again to finish (registered codes
          count as duplicates).
        </p>
      )}
      {report.rejected.length > 0 && (
        <table className="data">
          <caption>Rejected rows (not registered)</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Code</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {report.rejected.map((row) => (
              <tr key={`${row.line}-${row.code}`}>
                <td>{row.line}</td>
                <td>
                  <code>{row.code || '(empty)'}</code>
                </td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Reads a CSV of codes in the browser, reports bad rows by line, and registers
 * the rest per SKU and batch in calls of CODES_PER_CALL, with a progress bar.
 */
export function CodeUploadForm({ brandId, onUploaded }: { brandId: string; onUploaded: () => void }) {
  const client = useClient();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [errors, setErrors] = useState<SortedErrors>(noErrors);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get('file');
    setReport(null);
    if (!(file instanceof File) || file.size === 0) {
      setErrors({ byField: { file: ['Choose a CSV file of codes.'] }, general: [] });
      return;
    }
    const distributorName = String(data.get('distributorName') ?? '').trim();
    const parsed = parseCodeCsv(await file.text(), { sku: String(data.get('sku') ?? ''), batch: String(data.get('batch') ?? '') });
    if (parsed.accepted === 0) {
      setErrors({ byField: { file: ['No row of the file holds a code that can be registered.'] }, general: [] });
      setReport({ registered: 0, duplicates: 0, rejected: parsed.rejected, batchesAssigned: [], stoppedBy: null });
      return;
    }
    setErrors(noErrors);
    const result: Report = { registered: 0, duplicates: 0, rejected: [...parsed.rejected], batchesAssigned: [], stoppedBy: null };
    setProgress({ done: 0, total: parsed.accepted });
    let done = 0;
    try {
      for (const chunk of parsed.groups.flatMap((group) => chunksOf(group, CODES_PER_CALL))) {
        const answer = await client
          .mutation(BrandRegisterCodesMutation, { input: { brandId, sku: chunk.sku, batch: chunk.batch, codes: chunk.codes } })
          .toPromise();
        const payload = answer.data?.registerProductCodes;
        if (!payload) {
          result.stoppedBy = failureMessage(answer.error) ?? 'the service did not answer.';
          break;
        }
        if (payload.userErrors.length > 0) {
          // A refused call registers nothing: name the rows the service pointed at, and the rest of the call with them.
          for (const error of payload.userErrors) {
            const index = Number(error.field?.at(-1));
            const line = Number.isInteger(index) ? chunk.lines[index] : undefined;
            if (line !== undefined) result.rejected.push({ line, code: chunk.codes[index]!, reason: error.message });
          }
          const named = new Set(result.rejected.map((r) => r.line));
          chunk.lines.forEach((line, i) => {
            if (!named.has(line))
              result.rejected.push({ line, code: chunk.codes[i]!, reason: payload.userErrors.map((e) => e.message).join(' ') });
          });
        } else {
          result.registered += payload.registered;
          result.duplicates += payload.duplicates;
        }
        done += chunk.codes.length;
        setProgress({ done, total: parsed.accepted });
      }
      if (distributorName && !result.stoppedBy) {
        for (const batch of new Set(parsed.groups.map((g) => g.batch).filter((b): b is string => b !== null))) {
          const answer = await client
            .mutation(BrandAssignBatchMutation, {
              input: {
                brandId,
                batch,
                distributorName,
                distributorReference: String(data.get('distributorReference') ?? '').trim() || null,
              },
            })
            .toPromise();
          if (answer.data?.assignProductBatch.productBatch) result.batchesAssigned.push(batch);
          else setErrors(sortErrors(answer.data?.assignProductBatch.userErrors, ['distributorName', 'distributorReference']));
        }
      }
    } finally {
      result.rejected.sort((a, b) => a.line - b.line);
      setReport(result);
      setProgress(null);
      onUploaded();
    }
  }

  return (
    <>
      <form className="brand-form" onSubmit={(event) => void submit(event)} aria-labelledby="upload-codes" noValidate>
        <h2 id="upload-codes">Upload product codes</h2>
        <p>
          A CSV file with the columns <code>code</code>, <code>sku</code> and <code>batch</code> (named in the first line). Codes are
          checked in your browser first; the service stores them only as keyed hashes.
        </p>
        <TextField label="CSV file" name="file" type="file" accept=".csv,text/csv,text/plain" required errors={errors.byField.file} />
        <TextField label="SKU for rows without one (optional)" name="sku" />
        <TextField label="Batch for rows without one (optional)" name="batch" />
        <TextField
          label="Distributor the batches were shipped to (optional)"
          name="distributorName"
          hint="Shown on scan insight and clone alerts, to trace where copies leak from."
          errors={errors.byField.distributorName}
        />
        <TextField label="Distributor's reference (optional)" name="distributorReference" errors={errors.byField.distributorReference} />
        {progress && <ProgressBar label="Registering codes" done={progress.done} total={progress.total} />}
        <FormErrors errors={errors} />
        <div>
          <button type="submit" disabled={progress !== null}>
            {progress ? 'Uploading…' : 'Upload codes'}
          </button>
        </div>
      </form>
      {report && <UploadReport report={report} />}
    </>
  );
}
