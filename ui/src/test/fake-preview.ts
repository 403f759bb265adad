// The preview-app part of the fake backend (fake-api.ts): GitHub token status per profile, a
// repository parser, runs that move through a scripted progression one `step()` at a time (as the
// app's watcher would report them, each change also sent as a previewRunChanged event), the
// preview-app list and cleanup. Scripted failures follow cloud-sim's preview.rs: branch
// `fail-<task>`, a directory containing `missing`, a repository containing `unreadable`.
import {
  ApiError,
  type AppError,
  type CleanupInput,
  type CleanupReport,
  type JobView,
  type PreviewAppInput,
  type PreviewAppRow,
  type PreviewRun,
  type ProjectRow,
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

const NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function invalid(field: string, message: string): ApiError {
  return new ApiError({ kind: 'invalidInput', message, field });
}

export function task(name: string, extra: Partial<TaskView> = {}): TaskView {
  return {
    name,
    label: TASK_LABELS[name] ?? (name || 'Unnamed step'),
    state: 'pending',
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    githubDetail: null,
    ...extra,
  };
}

/** A run snapshot with sensible defaults, for tests that push a state directly. */
export function makeRun(extra: Partial<PreviewRun> = {}): PreviewRun {
  const now = new Date().toISOString();
  return {
    id: 'job-1',
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

/** "owner/repo", https://github.com/o/r(.git)(/tree/<branch>/<dir>)?, git@github.com:o/r.git. */
export function parseRepositoryText(text: string): RepositoryRef {
  const s = text.trim();
  const bad = () =>
    invalid(
      'repository',
      'Enter the repository as owner/repo, or paste its GitHub URL (https://github.com/owner/repo).',
    );
  if (s === '') throw invalid('repository', 'Enter the GitHub repository, e.g. hasura/my-app.');
  const part = /^[A-Za-z0-9_.-]+$/;
  let m = /^git@github\.com:([^/]+)\/([^/]+?)(\.git)?$/.exec(s);
  if (m) return { owner: m[1]!, repo: m[2]!, branch: null, directory: null };
  m = /^(?:https?:\/\/)?(?:www\.)?github\.com\/(.+)$/i.exec(s);
  if (m) {
    const parts = m[1]!.replace(/[?#].*$/, '').split('/').filter(Boolean);
    if (parts.length < 2 || !part.test(parts[0]!)) throw bad();
    const owner = parts[0]!;
    const repo = parts[1]!.replace(/\.git$/, '');
    if (!part.test(repo)) throw bad();
    if (parts[2] === 'tree' && parts[3]) {
      return { owner, repo, branch: parts[3], directory: parts.slice(4).join('/') || null };
    }
    if (parts.length > 2) throw bad();
    return { owner, repo, branch: null, directory: null };
  }
  m = /^([^/\s]+)\/([^/\s]+)$/.exec(s);
  if (m && part.test(m[1]!) && part.test(m[2]!)) {
    return { owner: m[1]!, repo: m[2]!.replace(/\.git$/, ''), branch: null, directory: null };
  }
  throw bad();
}

interface FakeRun {
  run: PreviewRun;
  /** The snapshots still to come, in order. */
  script: PreviewRun[];
  input: PreviewAppInput;
}

/** What the fake backend lends the preview part. */
export interface PreviewHost {
  activeProfileId: string | null;
  projects: ProjectRow[];
}

let jobs = 0;

export class FakePreview {
  /** Profiles with a stored GitHub token. */
  tokens = new Set<string>();
  /** Every token given to setGithubToken (never returned by any method). */
  tokensReceived: string[] = [];
  /** How many preview_create calls the month still allows (null: no limit). */
  callsLeft: number | null = null;
  apps: PreviewAppRow[] = [];
  /** Cleanup of these names fails with the given error. */
  cleanupFailures = new Map<string, ApiError>();
  /** Milliseconds between snapshots' timestamps. */
  stepMs = 2000;

  #runs = new Map<string, FakeRun>();
  #listeners = new Set<(run: PreviewRun) => void>();
  #host: PreviewHost;

  constructor(host: PreviewHost) {
    this.#host = host;
  }

  get profile(): string {
    return this.#host.activeProfileId ?? '';
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

  /** Sets a run's snapshot (any state) and sends it as an event. */
  push(run: PreviewRun): PreviewRun {
    const existing = this.#runs.get(run.id);
    this.#runs.set(run.id, {
      run,
      script: existing?.script ?? [],
      input: existing?.input ?? emptyInput(run.name),
    });
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

  /** Advances a run (the newest by default) one scripted change and sends it; null when finished. */
  step(id: string | null = this.latestId): PreviewRun | null {
    const r = id ? this.#runs.get(id) : undefined;
    if (!r) return null;
    const next = r.script.shift();
    if (!next) return null;
    r.run = next;
    this.#sideEffects(r);
    this.emit(next);
    return next;
  }

  /** Steps until the run is terminal; returns its last snapshot. */
  finish(id: string | null = this.latestId): PreviewRun | null {
    let last: PreviewRun | null = id ? this.run(id) : null;
    for (let s = this.step(id); s; s = this.step(id)) last = s;
    return last;
  }

  // ── Api methods ────────────────────────────────────────────────────────────────────────────

  parseRepository(text: string): RepositoryRef {
    return parseRepositoryText(text);
  }

  status() {
    return { stored: this.tokens.has(this.profile) };
  }

  setToken(token: string) {
    if (token.trim() === '') throw invalid('githubToken', 'Enter a GitHub token.');
    this.tokensReceived.push(token);
    this.tokens.add(this.profile);
    return this.status();
  }

  forgetToken() {
    this.tokens.delete(this.profile);
    return this.status();
  }

  create(input: PreviewAppInput): PreviewRun {
    const repo = parseRepositoryText(input.repository);
    const branch = input.branch.trim() || repo.branch || '';
    if (!branch) throw invalid('branch', 'Enter the branch to deploy.');
    const directory = input.directory.trim();
    if (directory.startsWith('/') || directory.split('/').includes('..')) {
      throw invalid('directory', 'The folder must be relative to the repository root.');
    }
    if (!NAME.test(input.name)) {
      throw invalid('name', 'A preview app name has 3–40 lowercase letters, digits and hyphens and starts with a letter.');
    }
    if (input.cloud !== 'aws' && input.cloud !== 'gcp') throw invalid('cloud', 'Choose AWS or Google Cloud.');
    if (input.region.trim() === '') throw invalid('region', 'Choose a region.');
    if (input.plan !== 'cloud_free' && input.plan !== 'cloud_payg') throw invalid('plan', 'Choose a plan.');
    const keys = new Set<string>();
    for (const e of input.envs) {
      if (!ENV_KEY.test(e.key) || keys.has(e.key)) throw invalid('envs', `${e.key} is not a valid, unique key.`);
      keys.add(e.key);
    }
    if (!this.tokens.has(this.profile)) {
      throw invalid('githubToken', 'Add a GitHub token first: Hasura Cloud needs it to read the repository.');
    }
    if (this.callsLeft !== null) {
      if (this.callsLeft <= 0) {
        throw new ApiError({
          kind: 'rateLimited',
          message: 'Your account has used its 60 preview-app calls this month. Try again next month, or delete preview apps you no longer need.',
          retryAfterSecs: null,
        });
      }
      this.callsLeft--;
    }

    // A newer creation with the same name takes over from one still being created.
    for (const r of this.#runs.values()) {
      if (r.run.name === input.name && r.run.phase === 'creating') {
        r.script = [];
        const t = new Date(Date.parse(r.run.updatedAt) + 1).toISOString();
        this.push({
          ...r.run,
          phase: 'skipped',
          creation: r.run.creation ? { ...r.run.creation, status: 'skipped', state: 'skipped' } : null,
          error: `A newer creation of ${input.name} took over; Hasura Cloud skipped this one.`,
          updatedAt: t,
          nextPollInMs: null,
        });
      }
    }

    const id = `00000000-0000-4000-9000-${(++jobs).toString(16).padStart(12, '0')}`;
    const script = buildScript(id, this.profile, { ...input, branch, directory }, repo, this.stepMs);
    const first = script.shift()!;
    this.#runs.set(id, { run: first, script, input: { ...input } });
    this.apps = [
      {
        name: input.name,
        state: 'running',
        status: 'created',
        latestJobId: id,
        jobType: 'github-preview-app-creation',
        createdAt: first.startedAt,
        projectId: null,
        tenantId: null,
        endpoint: null,
      },
      ...this.apps.filter((a) => a.name !== input.name),
    ];
    return structuredClone(first);
  }

  runs(): PreviewRun[] {
    return [...this.#runs.values()]
      .map((r) => r.run)
      .filter((r) => r.profileId === this.profile)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .map((r) => structuredClone(r));
  }

  watch(jobId: string): PreviewRun {
    const r = this.#runs.get(jobId);
    if (r) {
      if (r.run.phase === 'gaveUp') {
        const resumed: PreviewRun = {
          ...r.run,
          phase: r.run.deployment ? 'deploying' : 'creating',
          error: null,
          updatedAt: new Date(Date.parse(r.run.updatedAt) + 1).toISOString(),
          nextPollInMs: 1000,
        };
        r.run = resumed;
        this.emit(resumed);
      }
      return structuredClone(r.run);
    }
    const app = this.apps.find((a) => a.latestJobId === jobId);
    if (!app) throw new ApiError({ kind: 'notFound', message: 'No job with this id.' });
    const now = new Date().toISOString();
    const run = makeRun({
      id: jobId,
      profileId: this.profile,
      name: '',
      phase: app.state === 'running' ? 'creating' : app.state === 'skipped' ? 'skipped' : app.state,
      creation: {
        id: jobId,
        jobType: app.jobType,
        status: app.status,
        state: app.state,
        tasks: [task('create-preview-app', { state: app.state === 'running' ? 'running' : app.state === 'failed' ? 'failed' : 'succeeded' })],
      },
      startedAt: now,
      updatedAt: now,
      nextPollInMs: app.state === 'running' ? 1000 : null,
    });
    this.#runs.set(jobId, { run, script: [], input: emptyInput('') });
    return structuredClone(run);
  }

  dismiss(jobId: string): void {
    this.#runs.delete(jobId);
  }

  list(): PreviewAppRow[] {
    return structuredClone(this.apps);
  }

  cleanup(input: CleanupInput): CleanupReport {
    if (input.items.length === 0) throw invalid('items', 'Choose at least one preview app.');
    if (input.items.length === 1 && input.confirmName !== input.items[0]!.name) {
      throw invalid('confirmName', 'The name typed does not match.');
    }
    const report: CleanupReport = { deleted: [], failed: [] };
    for (const item of input.items) {
      const failure = this.cleanupFailures.get(item.name);
      const project = this.#host.projects.find((p) => p.tenantId === item.tenantId);
      if (failure || !project) {
        const e = failure ?? new ApiError({ kind: 'notFound', message: 'tenant not found' });
        const error = { kind: e.kind, message: e.message } as AppError;
        report.failed.push({ name: item.name, error });
        continue;
      }
      this.#host.projects.splice(this.#host.projects.indexOf(project), 1);
      this.apps = this.apps.map((a) => (a.name === item.name ? { ...a, tenantId: null, endpoint: null } : a));
      report.deleted.push(item.name);
    }
    return report;
  }

  // ── The scripted progression's side effects on "Hasura Cloud" ─────────────────────────────

  #sideEffects(r: FakeRun): void {
    const run = r.run;
    const app = this.apps.find((a) => a.name === r.input.name && a.latestJobId === run.id);
    if (run.links && !this.#host.projects.some((p) => p.id === run.links!.projectId)) {
      const n = this.#host.projects.length + 5000;
      this.#host.projects.push({
        id: run.links.projectId,
        name: r.input.name,
        endpoint: `https://${r.input.name}.hasura.app`,
        plan: r.input.plan,
        tenantId: tenantOf(run.links.projectId),
        slug: r.input.name,
        cloud: r.input.cloud,
        region: r.input.region,
        createdAt: new Date(Date.UTC(2025, 0, 1) + n).toISOString(),
      });
    }
    if (app) {
      const state = run.phase === 'succeeded' ? 'succeeded' : run.phase === 'failed' ? 'failed' : run.phase === 'skipped' ? 'skipped' : 'running';
      const job = run.deployment ?? run.creation;
      Object.assign(app, {
        state,
        status: job?.status ?? app.status,
        projectId: run.links?.projectId ?? null,
        tenantId: run.links ? tenantOf(run.links.projectId) : null,
        endpoint: run.links?.endpoint ?? null,
      });
    }
  }
}

function tenantOf(projectId: string): string {
  return `3${projectId.slice(1)}`;
}

function emptyInput(name: string): PreviewAppInput {
  return { repository: '', branch: '', directory: '', name, cloud: 'aws', region: '', plan: 'cloud_free', envs: [] };
}

/** Every snapshot a run goes through, as the watcher would report them. */
function buildScript(id: string, profileId: string, input: PreviewAppInput, repo: RepositoryRef, stepMs: number): PreviewRun[] {
  const t0 = Date.now();
  let k = 0;
  const at = (n: number) => new Date(t0 + n * stepMs).toISOString();
  const startedAt = at(0);
  const failFor = (name: string): { error: string; githubDetail?: string } | null => {
    const source = `${repo.owner}/${repo.repo}@${input.branch}:${input.directory}`;
    if (name === 'gh-validation') {
      if (`${repo.owner}/${repo.repo}`.includes('unreadable')) {
        return {
          error: `Hasura Cloud could not read ${repo.owner}/${repo.repo}: check the token has read access to it.`,
          githubDetail: `fetching metadata and migrations from ${source}`,
        };
      }
      if (input.directory.includes('missing')) {
        return {
          error: `The folder “${input.directory}” was not found in ${repo.owner}/${repo.repo} on branch ${input.branch}.`,
          githubDetail: `fetching metadata and migrations from ${source}`,
        };
      }
    }
    if (input.branch === `fail-${name}`) return { error: `${name} failed (scripted by the branch name).` };
    return null;
  };

  const projectId = `10000000-0000-4000-a000-${id.slice(-12)}`;
  const links = {
    projectId,
    consoleUrl: `https://cloud.hasura.io/project/${projectId}/console`,
    endpoint: null as string | null,
    graphqlUrl: null as string | null,
  };
  const creationTasks: TaskView[] = [task('create-preview-app')];
  const creation: JobView = { id, jobType: 'github-preview-app-creation', status: 'created', state: 'running', tasks: creationTasks };
  const out: PreviewRun[] = [];
  const snap = (changes: Partial<PreviewRun>): PreviewRun => {
    const prev = out[out.length - 1];
    const base: PreviewRun = prev ?? {
      id,
      profileId,
      name: input.name,
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
    const run = structuredClone({ ...base, ...changes, updatedAt: at(k), polls: k });
    k++;
    out.push(run);
    return run;
  };

  snap({});
  // The creation task runs.
  snap({ creation: { ...creation, status: 'running', tasks: [task('create-preview-app', { state: 'running', startedAt: at(k), durationMs: 0 })] } });
  const cfail = failFor('create-preview-app');
  const cStart = at(k - 1);
  if (cfail) {
    snap({
      phase: 'failed',
      creation: { ...creation, status: 'failed', state: 'failed', tasks: [task('create-preview-app', { state: 'failed', startedAt: cStart, finishedAt: at(k), durationMs: stepMs, ...cfail })] },
      error: `Preview app ${input.name} could not be created: ${cfail.error}`,
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
    const name = tasks[i]!.name;
    const started = at(k);
    tasks[i] = task(name, { state: 'running', startedAt: started, durationMs: 0 });
    snap({ deployment: { ...deployment, status: 'running', tasks: [...tasks] } });
    const failure = failFor(name);
    tasks[i] = task(name, {
      state: failure ? 'failed' : 'succeeded',
      startedAt: started,
      finishedAt: at(k),
      durationMs: stepMs,
      ...(failure ?? {}),
    });
    if (failure) {
      snap({
        phase: 'failed',
        deployment: { ...deployment, status: 'failed', state: 'failed', tasks: [...tasks] },
        error: failure.error,
        nextPollInMs: null,
      });
      return out;
    }
    snap({ deployment: { ...deployment, status: 'running', tasks: [...tasks] } });
  }
  snap({
    phase: 'succeeded',
    deployment: { ...deployment, status: 'success', state: 'succeeded', tasks: [...tasks] },
    links: { ...links, endpoint: `https://${input.name}.hasura.app`, graphqlUrl: `https://${input.name}.hasura.app/v1/graphql` },
    nextPollInMs: null,
  });
  return out;
}
