// The preview wizard's repository text, as the app parses it (owner/repo, or a pasted URL whose
// /tree/<branch>/<dir> also fills the branch and folder). The wizard keeps one for as long as it is
// open, so going Back and Next keeps the result and does not ask the app again.
import { asApiError, type Api, type RepositoryRef } from './types';
import type { WizardDraft } from './preview-wizard.svelte';

export class RepositoryInput {
  /** The last text parsed and what it gave (null: it could not be read). */
  parsed = $state.raw<RepositoryRef | null>(null);
  parsedText = $state<string | null>(null);
  /** Why the last text could not be read. */
  error = $state<string | null>(null);
  parsing = $state(false);
  /** The field was left once: from then on a parse error shows. */
  blurred = $state(false);
  /** The last parse filled the branch and folder from the URL. */
  filledFromUrl = $state(false);

  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: Api,
    private readonly draft: WizardDraft,
  ) {}

  /** Parses `text` once typing pauses. */
  schedule(text: string): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.parse(text), 200);
  }

  /** Parses `text` now; true when it names a repository. */
  async parse(text = this.draft.repository): Promise<boolean> {
    this.stop();
    const t = text.trim();
    if (t === '') {
      this.parsed = null;
      this.parsedText = '';
      this.error = null;
      this.draft.parsedRepo = null;
      return false;
    }
    if (this.parsedText === t && !this.parsing) return this.parsed !== null;
    const seq = ++this.#seq;
    this.parsing = true;
    try {
      const ref = await this.api.parseRepository(t);
      if (seq !== this.#seq) return false;
      this.parsed = ref;
      this.error = null;
      this.draft.parsedRepo = { owner: ref.owner, repo: ref.repo };
      if (ref.branch) {
        this.draft.branch = ref.branch;
        this.draft.directory = ref.directory ?? '';
        this.draft.clearServer('branch');
        this.draft.clearServer('directory');
        this.filledFromUrl = true;
      }
      return true;
    } catch (e) {
      if (seq !== this.#seq) return false;
      this.parsed = null;
      this.draft.parsedRepo = null;
      this.error = asApiError(e).message;
      return false;
    } finally {
      if (seq === this.#seq) {
        this.parsing = false;
        this.parsedText = t;
      }
    }
  }

  /** A parse is waiting for typing to pause: it will not happen. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** After a create: the next text is parsed afresh. */
  forget(): void {
    this.parsed = null;
    this.parsedText = null;
  }
}
