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

/** The problem of each env row of a form (by index), or null for a row that may be sent. */
export class EnvRowProblems {
  problems = $state.raw<(string | null)[]>([]);
  #asked = 0;

  constructor(api: Api, rows: () => EnvPair[]) {
    $effect(() => {
      const asked = ++this.#asked;
      const pairs = rows().map(({ key, value }) => ({ key, value }));
      api.checkEnvRows(pairs).then(
        (problems) => {
          if (asked === this.#asked) this.problems = problems;
        },
        () => {
          if (asked === this.#asked) this.problems = [];
        },
      );
    });
  }

  /** True when some row has a problem. */
  get any(): boolean {
    return this.problems.some((p) => p !== null);
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
