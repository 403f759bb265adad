// What Rust says of a form's text as the person types: the same rules the commands apply before
// sending (app_core::checks), asked over IPC, so no rule is written twice. An answer to older
// text is dropped. Create these while a component initialises (they use $effect).
import type { Api, EnvPair, FieldCheck, FormRules } from './types';

/** The problem of one field's text in words, or null; `check` returns null to ask nothing. */
export class FieldProblem {
  problem = $state<string | null>(null);
  #asked = 0;

  constructor(api: Api, check: () => FieldCheck | null) {
    $effect(() => {
      const asked = ++this.#asked;
      const c = check();
      if (!c) {
        this.problem = null;
        return;
      }
      api.checkField(c).then(
        (problem) => {
          if (asked === this.#asked) this.problem = problem;
        },
        () => {
          // The command itself failed: the submit's answer will say what is wrong.
          if (asked === this.#asked) this.problem = null;
        },
      );
    });
  }
}

/**
 * What Rust says of each env row of a form (by index): its problem, or null for a row that may be
 * sent, and whether it is blank (left out of what the form sends).
 */
export class EnvRowChecks {
  problems = $state.raw<(string | null)[]>([]);
  blank = $state.raw<boolean[]>([]);
  #asked = 0;

  constructor(api: Api, rows: () => EnvPair[]) {
    $effect(() => {
      const asked = ++this.#asked;
      const pairs = rows().map(({ key, value }) => ({ key, value }));
      api.checkEnvRows(pairs).then(
        (check) => {
          if (asked !== this.#asked) return;
          this.problems = check.problems;
          this.blank = check.blank;
        },
        () => {
          if (asked !== this.#asked) return;
          this.problems = [];
          this.blank = [];
        },
      );
    });
  }

  /** True when some row has a problem. */
  get any(): boolean {
    return this.problems.some((p) => p !== null);
  }

  /** The rows of `rows` that will be sent, as of Rust's last answer. */
  filled<T>(rows: readonly T[]): T[] {
    return rows.filter((_, i) => this.blank[i] === false);
  }
}

/** The clouds, plans and default endpoint the forms offer, from Rust; read once per window. */
export class FormRulesStore {
  current = $state.raw<FormRules | null>(null);
  #api: Api;

  constructor(api: Api) {
    this.#api = api;
  }

  async load(): Promise<void> {
    if (this.current) return;
    try {
      this.current = await this.#api.formRules();
    } catch {
      // Forms then offer nothing to choose and say so; a retry comes with the next form.
    }
  }
}
