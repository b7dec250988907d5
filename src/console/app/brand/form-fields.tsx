import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import type { SortedErrors } from './user-errors.ts';

interface FieldFrame {
  label: string;
  /** A short explanation under the label. */
  hint?: ReactNode;
  /** What the service said about this field. */
  errors?: readonly string[];
}

/**
 * A labelled control whose errors are announced with it: aria-invalid marks it,
 * aria-describedby points at the hint and the messages.
 */
function useFieldIds({ hint, errors }: FieldFrame) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy, invalid: Boolean(errors?.length) };
}

function FieldText({ hintId, errorId, hint, errors }: { hintId?: string; errorId?: string } & FieldFrame) {
  return (
    <>
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {errorId && (
        <span id={errorId} className="field-error">
          {errors!.join(' ')}
        </span>
      )}
    </>
  );
}

export function TextField({ label, hint, errors, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds({ label, hint, errors });
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <input id={ids.id} aria-invalid={ids.invalid || undefined} aria-describedby={ids.describedBy} {...input} />
      <FieldText {...ids} hint={hint} errors={errors} label={label} />
    </div>
  );
}

export function SelectField({ label, hint, errors, children, ...select }: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useFieldIds({ label, hint, errors });
  return (
    <div className="field">
      <label htmlFor={ids.id}>{label}</label>
      <select id={ids.id} aria-invalid={ids.invalid || undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
      <FieldText {...ids} hint={hint} errors={errors} label={label} />
    </div>
  );
}

export function CheckboxField({ label, hint, errors, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds({ label, hint, errors });
  return (
    <div className="field checkbox">
      <input type="checkbox" id={ids.id} aria-invalid={ids.invalid || undefined} aria-describedby={ids.describedBy} {...input} />
      <label htmlFor={ids.id}>{label}</label>
      <FieldText {...ids} hint={hint} errors={errors} label={label} />
    </div>
  );
}

/** Errors that concern the whole form (or a field it does not show), what went wrong with the request, and a pointer to marked fields. */
export function FormErrors({ errors, failure }: { errors: SortedErrors; failure?: string | null }) {
  const fieldCount = Object.keys(errors.byField).length;
  const messages = [
    ...(fieldCount > 0 ? [fieldCount === 1 ? 'Please correct the field marked above.' : 'Please correct the fields marked above.'] : []),
    ...errors.general,
    ...(failure ? [failure] : []),
  ];
  if (messages.length === 0) return null;
  return (
    <div role="alert" className="error form-errors">
      {messages.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}

/** A quiet confirmation that a change was saved. */
export function Saved({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="saved">
      {children}
    </p>
  );
}
