import type { ReactNode } from 'react';

export interface UserErrorLike {
  code: string;
  field?: readonly string[] | null;
  message: string;
}

/** The API names a field from its input down (["input", "compensation", "amount"]); a form names it "compensation.amount". */
const fieldName = (field: readonly string[] | null | undefined) => (field ?? []).filter((part) => part !== 'input').join('.');

export interface FormErrors {
  /** Message per form control name. */
  byField: Record<string, string>;
  /** Problems that concern no control of this form (the case as a whole). */
  general: string[];
}

export const noErrors: FormErrors = { byField: {}, general: [] };

/** Sorts a mutation's userErrors onto the form's controls; the rest are shown above the form. */
export function formErrors(errors: readonly UserErrorLike[], controls: readonly string[]): FormErrors {
  const result: FormErrors = { byField: {}, general: [] };
  for (const error of errors) {
    const name = fieldName(error.field);
    if (controls.includes(name) && !result.byField[name]) result.byField[name] = error.message;
    else result.general.push(error.message);
  }
  return result;
}

/** The id of a control and of its error message, per form. */
export const controlId = (form: string, name: string) => `${form}-${name.replace(/\./g, '-')}`;
const errorId = (form: string, name: string) => `${controlId(form, name)}-error`;

/** What a control needs to be announced with its error: aria-invalid and a description pointing at the message. */
export function controlProps(form: string, name: string, errors: FormErrors, hint?: string) {
  const invalid = Boolean(errors.byField[name]);
  const describedBy = [hint ? `${controlId(form, name)}-hint` : null, invalid ? errorId(form, name) : null].filter(Boolean).join(' ');
  return {
    id: controlId(form, name),
    name,
    'aria-invalid': invalid || undefined,
    'aria-describedby': describedBy || undefined,
  };
}

/** A labelled control with its hint and, when the API refused it, its error right below. */
export function Field({
  form,
  name,
  label,
  hint,
  errors,
  children,
}: {
  form: string;
  name: string;
  label: string;
  hint?: string;
  errors: FormErrors;
  children: ReactNode;
}) {
  const message = errors.byField[name];
  return (
    <div className={message ? 'field invalid' : 'field'}>
      <label htmlFor={controlId(form, name)}>{label}</label>
      {hint && (
        <p className="hint" id={`${controlId(form, name)}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {message && (
        <p className="field-error" id={errorId(form, name)}>
          {message}
        </p>
      )}
    </div>
  );
}

/** Problems with the whole form, announced when they appear. */
export function FormProblems({ errors }: { errors: FormErrors }) {
  if (errors.general.length === 0) return null;
  return (
    <div role="alert" className="error">
      {errors.general.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
