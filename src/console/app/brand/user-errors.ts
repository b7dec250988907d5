/** What every payload of the API reports for an expected failure. */
export interface UserError {
  code: string;
  field?: readonly string[] | null;
  message: string;
}

/** The field a userError concerns: the last named part of its path (`['input', 'slug']` → `slug`). */
export function fieldOf(error: UserError): string | null {
  const named = (error.field ?? []).filter((part) => !/^\d+$/.test(part) && part !== 'input');
  return named[0] ?? null;
}

/** The errors of one form: by field name, and those no field of the form shows. */
export function sortErrors(errors: readonly UserError[] | undefined, fields: readonly string[]) {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const error of errors ?? []) {
    const field = fieldOf(error);
    if (field && fields.includes(field)) (byField[field] ??= []).push(error.message);
    else general.push(error.message);
  }
  return { byField, general };
}

export type SortedErrors = ReturnType<typeof sortErrors>;

export const noErrors: SortedErrors = { byField: {}, general: [] };
