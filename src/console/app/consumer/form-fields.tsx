import type { HTMLAttributes } from 'react';

/** Problems keyed by the form field they concern; `form` for the rest. */
export type FieldProblems = Record<string, string | undefined>;

/** userErrors placed at their field: the last part of the field path names it (input.listingUrl → listingUrl). */
export function problemsByField(userErrors: ReadonlyArray<{ field?: readonly string[] | null; message: string }>): FieldProblems {
  const problems: FieldProblems = {};
  for (const { field, message } of userErrors) {
    const key = field?.filter((part) => part !== 'input').at(-1) ?? 'form';
    problems[key] = problems[key] ? `${problems[key]} ${message}` : message;
  }
  return problems;
}

/** What a mutation's answer says went wrong, by field; null when it went through. */
export function mutationProblems(
  result: { error?: unknown },
  payload: { userErrors: ReadonlyArray<{ field?: readonly string[] | null; message: string }> } | null | undefined,
  fallback: string,
): FieldProblems | null {
  if (payload && payload.userErrors.length > 0) return problemsByField(payload.userErrors);
  return result.error || !payload ? { form: fallback } : null;
}

export function FieldProblem({ id, problem }: { id: string; problem: string | undefined }) {
  return problem ? (
    <p id={id} role="alert" className="error">
      {problem}
    </p>
  ) : null;
}

interface TextFieldProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange(value: string): void;
  problem?: string;
  disabled?: boolean;
  multiline?: boolean;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
}

/** A labelled input with its hint and its problem tied to it for screen readers. */
export function TextField({ id, label, hint, value, onChange, problem, disabled, multiline, inputMode }: TextFieldProps) {
  const describedBy = [hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {multiline ? (
        <textarea {...common} rows={4} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} inputMode={inputMode} onChange={(event) => onChange(event.target.value)} />
      )}
      <FieldProblem id={`${id}-problem`} problem={problem} />
    </div>
  );
}
