// The preview-app part of the fake backend (fake-api.ts): GitHub token status per profile, and
// what Rust answers as the test scripts it: the repository a text names (`repositories`), the
// snapshots a created run goes through (`respond('previewCreate', progression(...))`, one
// `step()` at a time, each also sent as a previewRunChanged event), what a watch or a cleanup
// answers, and the preview-app list. It checks no input and simulates no job.
import {
  ApiError,
  type CleanupInput,
  type CleanupReport,
  type JobView,
  type PreviewAppInput,
  type PreviewAppRow,
  type PreviewRun,
  type RepositoryRef,
  type TaskView,
} from '../lib/types';

export const TASK_LABELS: Record<string, string> = {
  'gh-validation': 'Fetch metadata and migrations from GitHub',
  'parse-metadata-migration': 'Read metadata and migrations',
  'parse-migration': 'Read migrations',
  'parse-metadata': 'Read metadata',
  'apply-metadata': 'Apply metadata',
  'apply-migration': 'Apply migrations',
  'reload-metadata': 'Reload metadata',
  'check-healthz': 'Check the project is healthy',
  'create-preview-app': 'Create the project',
};

export const DEPLOYMENT_TASKS = [
  'gh-validation',
  'parse-metadata-migration',
  'apply-metadata',
  'apply-migration',
  'reload-metadata',
  'check-healthz',
];

export function task(name: string, extra: Partial<TaskView> = {}): TaskView {
  return {
    name,
    label: TASK_LABELS[name] ?? (name || 'Unnamed step'),
    state: 'pending',
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    errorDetail: null,
    githubDetail: null,
    ...extra,
  };
}

/** A run snapshot with sensible defaults, for tests that push a state directly. */
export function makeRun(extra: Partial<PreviewRun> = {}): PreviewRun {
  const now = new Date().toISOString();
  return {
    id: 'job-1',
    appLink: 'hasura-cloud-desktop://preview/job-1',
    profileId: 'p-work',
    name: 'feature-login',
    phase: 'creating',
    creation: {
      id: 'job-1',
      jobType: 'github-preview-app-creation',
      status: 'running',
      state: 'running',
      tasks: [task('create-preview-app', { state: 'running', startedAt: now, durationMs: 0 })],
    },
    deployment: null,
    links: null,
    error: null,
    pollError: null,
    startedAt: now,
    updatedAt: now,
    polls: 1,
    nextPollInMs: 1000,
    ...extra,
  };
}

interface FakeRun {
  run: PreviewRun;
  /** The snapshots still to come, in order. */
  script: PreviewRun[];
}

/** What the fake backend lends the preview part. */
export interface PreviewHost {
  activeProfileId: string | null;
}

/** What the scripted calls answer: the data itself, or a function of the call's argument. */
interface Answers {
  /** The snapshots the created run goes through: the first is the answer, `step()` sends the rest. */
  previewCreate: PreviewRun[] | ((input: PreviewAppInput) => PreviewRun[]);
  previewWatch: PreviewRun | ((jobId: string) => PreviewRun);
  previewCleanup: CleanupReport | ((input: CleanupInput) => CleanupReport);
}

/** Rust's answer to a repository text no test scripted: it cannot read it. */
const UNREADABLE_REPOSITORY = 'Enter the repository as owner/repo, or paste its GitHub URL (https://github.com/owner/repo).';

let jobs = 0;

export class FakePreview {
  /** Profiles with a stored GitHub token. */
  tokens = new Set<string>();
  /** Every token given to setGithubToken (never returned by any method). */
  tokensReceived: string[] = [];
  /** What parseRepository answers, by the text as sent; any other text is refused as unreadable. */
  repositories = new Map<string, RepositoryRef>();
  apps: PreviewAppRow[] = [];

  #runs = new Map<string, FakeRun>();
  #answers = new Map<keyof Answers, unknown[]>();
  #listeners = new Set<(run: PreviewRun) => void>();
  #host: PreviewHost;

  constructor(host: PreviewHost) {
    this.#host = host;
  }

  get profile(): string {
    return this.#host.activeProfileId ?? '';
  }

  /** The next calls of `method` answer these, one per call, in order. */
  respond<M extends keyof Answers>(method: M, ...answers: Answers[M][]): this {
    this.#answers.set(method, [...(this.#answers.get(method) ?? []), ...answers]);
    return this;
  }

  #next<M extends keyof Answers, A>(method: M, arg: A): Exclude<Answers[M], (...a: never[]) => unknown> | undefined {
    const next = this.#answers.get(method)?.shift();
    return (typeof next === 'function' ? next(arg) : next) as Exclude<Answers[M], (...a: never[]) => unknown> | undefined;
  }

  listen(cb: (run: PreviewRun) => void): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  emit(run: PreviewRun): void {
    for (const cb of this.#listeners) cb(structuredClone(run));
  }

  /** Sets a run's snapshot (any state) and sends it as an event, as the app's watcher would. */
  push(run: PreviewRun): PreviewRun {
    const existing = this.#runs.get(run.id);
    this.#runs.set(run.id, { run, script: existing?.script ?? [] });
    this.emit(run);
    return run;
  }

  run(id: string): PreviewRun | null {
    return this.#runs.get(id)?.run ?? null;
  }

  /** The newest run's id. */
  get latestId(): string | null {
    const all = [...this.#runs.values()].sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt));
    return all[0]?.run.id ?? null;
  }

  /** Sends a run's (the newest by default) next scripted snapshot; null when there is none. */
  step(id: string | null = this.latestId): PreviewRun | null {
    const r = id ? this.#runs.get(id) : undefined;
    const next = r?.script.shift();
    if (!r || !next) return null;
    r.run = next;
    this.emit(next);
    return next;
  }

  /** Sends every scripted snapshot left; returns the last one. */
  finish(id: string | null = this.latestId): PreviewRun | null {
    let last: PreviewRun | null = id ? this.run(id) : null;
    for (let s = this.step(id); s; s = this.step(id)) last = s;
    return last;
  }

  // ── Api methods ────────────────────────────────────────────────────────────────────────────

  parseRepository(text: string): RepositoryRef {
    const ref = this.repositories.get(text);
    if (!ref) throw new ApiError({ kind: 'invalidInput', message: UNREADABLE_REPOSITORY, field: 'repository' });
    return structuredClone(ref);
  }

  status() {
    return { stored: this.tokens.has(this.profile) };
  }

  setToken(token: string) {
    this.tokensReceived.push(token);
    this.tokens.add(this.profile);
    return this.status();
  }

  forgetToken() {
    this.tokens.delete(this.profile);
    return this.status();
  }

  /** The scripted progression's first snapshot, or else a run just started, with nothing to come. */
  create(input: PreviewAppInput): PreviewRun {
    const script = [...(this.#next('previewCreate', input) ?? [])];
    const first =
      script.shift() ??
      makeRun({ id: `00000000-0000-4000-9000-${(++jobs).toString(16).padStart(12, '0')}`, profileId: this.profile, name: input.name });
    this.#runs.set(first.id, { run: first, script });
    return structuredClone(first);
  }

  runs(): PreviewRun[] {
    return [...this.#runs.values()]
      .map((r) => r.run)
      .filter((r) => r.profileId === this.profile)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .map((r) => structuredClone(r));
  }

  /** The scripted snapshot (kept and sent as an event), or else the run as it is. */
  watch(jobId: string): PreviewRun {
    const answer = this.#next('previewWatch', jobId);
    if (answer) return structuredClone(this.push(answer));
    const r = this.#runs.get(jobId);
    if (!r) throw new ApiError({ kind: 'notFound', message: 'No job with this id.' });
    return structuredClone(r.run);
  }

  dismiss(jobId: string): void {
    this.#runs.delete(jobId);
  }

  list(): PreviewAppRow[] {
    return structuredClone(this.apps);
  }

  /** The scripted report, or else every item deleted. */
  cleanup(input: CleanupInput): CleanupReport {
    return structuredClone(this.#next('previewCleanup', input) ?? { deleted: input.items.map((i) => i.name), failed: [] });
  }
}

/** How a scripted run fails: at which task, with which error (and GitHub's detail). */
export interface RunFailure {
  task: string;
  error: string;
  /** The error as Hasura Cloud sent it, when the app says it differently. */
  errorDetail?: string;
  githubDetail?: string;
}

/**
 * The snapshots the app's watcher reports for one run, as data: creation, then the deployment
 * tasks one by one, to success (with links), or to failure at `failAt`. The test says which.
 */
export function progression(opts: {
  id: string;
  name: string;
  profileId?: string;
  failAt?: RunFailure;
  stepMs?: number;
  /** When the run started (epoch ms); now by default. */
  t0?: number;
}): PreviewRun[] {
  const { id, name, profileId = 'p-work', failAt, stepMs = 2000, t0 = Date.now() } = opts;
  let k = 0;
  const at = (n: number) => new Date(t0 + n * stepMs).toISOString();
  const startedAt = at(0);
  const failFor = (task: string) => (failAt?.task === task
      ? { error: failAt.error, errorDetail: failAt.errorDetail ?? null, githubDetail: failAt.githubDetail ?? null }
      : null);

  const projectId = `10000000-0000-4000-a000-${id.slice(-12)}`;
  const links = {
    projectId,
    consoleUrl: `https://cloud.hasura.io/project/${projectId}/console`,
    endpoint: null as string | null,
    graphqlUrl: null as string | null,
  };
  const creation: JobView = { id, jobType: 'github-preview-app-creation', status: 'created', state: 'running', tasks: [task('create-preview-app')] };
  const out: PreviewRun[] = [];
  const snap = (changes: Partial<PreviewRun>): void => {
    const base: PreviewRun = out[out.length - 1] ?? {
      id,
      appLink: `hasura-cloud-desktop://preview/${id}`,
      profileId,
      name,
      phase: 'creating',
      creation,
      deployment: null,
      links: null,
      error: null,
      pollError: null,
      startedAt,
      updatedAt: startedAt,
      polls: 0,
      nextPollInMs: 1000,
    };
    out.push(structuredClone({ ...base, ...changes, updatedAt: at(k), polls: k }));
    k++;
  };

  snap({});
  snap({ creation: { ...creation, status: 'running', tasks: [task('create-preview-app', { state: 'running', startedAt: at(k), durationMs: 0 })] } });
  const cStart = at(k - 1);
  const cfail = failFor('create-preview-app');
  if (cfail) {
    snap({
      phase: 'failed',
      creation: { ...creation, status: 'failed', state: 'failed', tasks: [task('create-preview-app', { state: 'failed', startedAt: cStart, finishedAt: at(k), durationMs: stepMs, ...cfail })] },
      error: `Preview app ${name} could not be created: ${cfail.error}`,
      nextPollInMs: null,
    });
    return out;
  }
  const creationDone: JobView = {
    ...creation,
    status: 'success',
    state: 'succeeded',
    tasks: [task('create-preview-app', { state: 'succeeded', startedAt: cStart, finishedAt: at(k), durationMs: stepMs })],
  };
  const tasks = DEPLOYMENT_TASKS.map((n) => task(n));
  const deployment: JobView = { id: `${id.slice(0, -1)}d`, jobType: 'github-preview-app-deployment', status: 'created', state: 'running', tasks };
  snap({ phase: 'deploying', creation: creationDone, deployment, links });

  for (let i = 0; i < tasks.length; i++) {
    const taskName = tasks[i]!.name;
    const started = at(k);
    tasks[i] = task(taskName, { state: 'running', startedAt: started, durationMs: 0 });
    snap({ deployment: { ...deployment, status: 'running', tasks: [...tasks] } });
    const failure = failFor(taskName);
    tasks[i] = task(taskName, { state: failure ? 'failed' : 'succeeded', startedAt: started, finishedAt: at(k), durationMs: stepMs, ...(failure ?? {}) });
    if (failure) {
      snap({ phase: 'failed', deployment: { ...deployment, status: 'failed', state: 'failed', tasks: [...tasks] }, error: failure.error, nextPollInMs: null });
      return out;
    }
    snap({ deployment: { ...deployment, status: 'running', tasks: [...tasks] } });
  }
  snap({
    phase: 'succeeded',
    deployment: { ...deployment, status: 'success', state: 'succeeded', tasks: [...tasks] },
    links: { ...links, endpoint: `https://${name}.hasura.app`, graphqlUrl: `https://${name}.hasura.app/v1/graphql` },
    nextPollInMs: null,
  });
  return out;
}
