// What the preview-app wizard holds while someone fills it in. One per app context, so moving to
// another screen and back (or Back/Next between steps) keeps everything typed.
import type { EnvRowDraft } from './env-form';
import type { PreviewAppInput } from './types';

export type WizardStep = 1 | 2 | 3 | 4;

export class WizardDraft {
  step = $state<WizardStep>(1);
  /** The furthest step reached: the step list lets people jump back to any step up to it. */
  reached = $state<WizardStep>(1);
  repository = $state('');
  branch = $state('main');
  directory = $state('');
  name = $state('');
  /** Until the name is edited, it follows the suggestion made from the branch. */
  nameEdited = $state(false);
  cloud = $state('aws');
  region = $state('');
  plan = $state('cloud_free');
  envs = $state<EnvRowDraft[]>([]);
  envText = $state('');
  /** invalidInput messages from preview_create, by field, until that field is edited. */
  serverErrors = $state<Record<string, string>>({});
  #nextEnvId = 1;

  /** The owner and repo the repository text was last parsed into (for the suggestion and review). */
  parsedRepo = $state<{ owner: string; repo: string } | null>(null);

  /** The name Rust suggests for the branch (and repository); asked as the wizard leaves step 1. */
  suggestion = $state('');

  goTo(step: WizardStep): void {
    if (step >= 2 && !this.nameEdited && this.suggestion) this.name = this.suggestion;
    this.step = step;
    if (step > this.reached) this.reached = step;
  }

  addEnv(key = '', value = ''): number {
    const id = this.#nextEnvId++;
    this.envs.push({ id, key, value });
    return id;
  }

  clearServer(field: string): void {
    if (field in this.serverErrors) {
      const { [field]: _removed, ...rest } = this.serverErrors;
      this.serverErrors = rest;
    }
  }

  /** What was typed, as typed: Rust trims, reads and checks it, and leaves out blank env rows. */
  input(): PreviewAppInput {
    return {
      repository: this.repository,
      branch: this.branch,
      directory: this.directory,
      name: this.name,
      cloud: this.cloud,
      region: this.region,
      plan: this.plan,
      envs: this.envs.map((r) => ({ key: r.key, value: r.value })),
    };
  }

  reset(): void {
    this.step = 1;
    this.reached = 1;
    this.repository = '';
    this.branch = 'main';
    this.directory = '';
    this.name = '';
    this.nameEdited = false;
    this.region = '';
    this.envs = [];
    this.envText = '';
    this.serverErrors = {};
    this.parsedRepo = null;
  }
}

const drafts = new WeakMap<object, WizardDraft>();

/** The wizard draft of one app (keyed by its context's nav object). */
export function wizardDraftFor(owner: object): WizardDraft {
  let d = drafts.get(owner);
  if (!d) {
    d = new WizardDraft();
    drafts.set(owner, d);
  }
  return d;
}
