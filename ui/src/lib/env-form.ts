// The env rows of a form (create project, preview wizard): their shape, and the problems Rust
// found (`checkEnvRows`, by index) keyed by row id for the table. Which rows are sent is Rust's
// too (`EnvRowChecks.blank`; blank rows are dropped when the form is sent).

export interface EnvRowDraft {
  id: number;
  key: string;
  value: string;
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
