// The env rows of a form (create project, preview wizard): their shape, which are sent, and the
// problems Rust found (`checkEnvRows`, by index) keyed by row id for the table.

export interface EnvRowDraft {
  id: number;
  key: string;
  value: string;
}

/** A row with neither key nor value is left out of what the form sends (Rust skips it too). */
export function isBlankEnvRow(row: EnvRowDraft): boolean {
  return row.key.trim() === '' && row.value === '';
}

/** Rust's answer (one entry per row, in order) as problems by row id. */
export function rowProblemsById(rows: readonly EnvRowDraft[], problems: readonly (string | null)[]): Map<number, string> {
  const byId = new Map<number, string>();
  rows.forEach((row, i) => {
    const problem = problems[i];
    if (problem) byId.set(row.id, problem);
  });
  return byId;
}
