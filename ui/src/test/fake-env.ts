// The env part of the fake Api: scripted answers, no rules. A test says what Rust answers
// (`respond`, one answer per call, in order); with nothing scripted, a draft-returning call
// answers the tenant's current draft unchanged. The only state is bookkeeping: the last draft
// answered per tenant (so envLoad after a stage shows it, and envUnsaved lists drafts with changes).
import { ApiError, type Api, type EnvDraft } from '../lib/types';
import { draftOf } from './env-draft';

type EnvMethods = Pick<
  Api,
  | 'envLoad'
  | 'envReload'
  | 'envStage'
  | 'envUnstage'
  | 'envDiscard'
  | 'envRestore'
  | 'envApply'
  | 'envResolve'
  | 'envImportPreview'
  | 'pasteEnvRows'
  | 'envImportStage'
  | 'envExport'
  | 'envCompare'
  | 'envCopy'
  | 'envUnsaved'
>;
export type EnvMethod = keyof EnvMethods;
type Result<M extends EnvMethod> = Awaited<ReturnType<EnvMethods[M]>>;
/** What a call answers: the data itself, or a function of the call's arguments. */
export type EnvAnswer<M extends EnvMethod> = Result<M> | ((...args: Parameters<EnvMethods[M]>) => Result<M>);

export class FakeEnv {
  /** What `envExport` answers: the path "written", or null as if the person cancelled. */
  exportPath: string | null = '/home/me/project.env';

  #drafts = new Map<string, EnvDraft>();
  #answers = new Map<EnvMethod, unknown[]>();
  #knownTenant: (tenantId: string) => boolean;

  constructor(knownTenant: (tenantId: string) => boolean) {
    this.#knownTenant = knownTenant;
  }

  /** Sets the tenant's draft as the app holds it: what envLoad answers. */
  set(tenantId: string, draft: EnvDraft): this {
    this.#drafts.set(tenantId, structuredClone({ ...draft, tenantId }));
    return this;
  }

  /** The tenant's draft as last answered (an empty one for a project never loaded). */
  draft(tenantId: string): EnvDraft {
    const d = this.#drafts.get(tenantId);
    if (d) return structuredClone(d);
    if (!this.#knownTenant(tenantId)) throw new ApiError({ kind: 'notFound', message: 'No tenant with this id.' });
    return draftOf({ tenantId });
  }

  /** The next calls of `method` answer these, one per call, in order. */
  respond<M extends EnvMethod>(method: M, ...answers: EnvAnswer<M>[]): this {
    this.#answers.set(method, [...(this.#answers.get(method) ?? []), ...answers]);
    return this;
  }

  /** Answers a call: the next scripted answer, else `fallback`; a draft in the answer is kept. */
  answer<M extends EnvMethod>(method: M, args: Parameters<EnvMethods[M]>, fallback: () => Result<M>): Result<M> {
    const next = this.#answers.get(method)?.shift() as EnvAnswer<M> | undefined;
    const result =
      next === undefined ? fallback() : typeof next === 'function' ? (next as (...a: unknown[]) => Result<M>)(...args) : next;
    const kept = keptDraft(result);
    if (kept) this.set(kept.tenantId, kept);
    return structuredClone(result);
  }

  /** Tenants whose draft has staged changes. */
  unsaved(): string[] {
    return [...this.#drafts].filter(([, d]) => d.changes.length > 0).map(([t]) => t);
  }
}

function keptDraft(result: unknown): EnvDraft | null {
  if (!result || typeof result !== 'object') return null;
  if ('changes' in result && 'vars' in result) return result as EnvDraft;
  if ('outcome' in result && 'draft' in result) return (result as { draft: EnvDraft }).draft;
  return null;
}
