// The UI's own view of the IPC contract (docs/ipc-contract.md). Components use these types and
// the `Api` interface; only lib/api.ts knows about the generated bindings and maps them onto this.
// Optional fields are typed `?: T | null` so that either serialisation of an `Option` fits.

import type { Route } from './nav.svelte';

export type ErrorKind =
  | 'tokenRejected'
  | 'keychainUnavailable'
  | 'notSignedIn'
  | 'network'
  | 'timeout'
  | 'rateLimited'
  | 'conflict'
  | 'nothingChanged'
  | 'notFound'
  | 'invalidInput'
  | 'server'
  | 'internal';

export const ERROR_KINDS: readonly ErrorKind[] = [
  'tokenRejected',
  'keychainUnavailable',
  'notSignedIn',
  'network',
  'timeout',
  'rateLimited',
  'conflict',
  'nothingChanged',
  'notFound',
  'invalidInput',
  'server',
  'internal',
];

/** The serialised `AppError`: `{ kind, message, ...details }`. */
export interface AppErrorData {
  kind: ErrorKind;
  message: string;
  /** invalidInput: the form field the message is about. */
  field?: string | null;
  /** rateLimited: seconds to wait, when the server said. */
  retryAfterSecs?: number | null;
  /** server: error code and request id, when known. */
  code?: string | null;
  requestId?: string | null;
}

/** What every `Api` method throws. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly field: string | null;
  readonly retryAfterSecs: number | null;
  readonly code: string | null;
  readonly requestId: string | null;

  constructor(data: AppErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.kind = data.kind;
    this.field = data.field ?? null;
    this.retryAfterSecs = data.retryAfterSecs ?? null;
    this.code = data.code ?? null;
    this.requestId = data.requestId ?? null;
  }

  /** Anything thrown by a call, as an ApiError (unknown failures become `internal`). */
  static from(e: unknown): ApiError {
    if (e instanceof ApiError) return e;
    if (isAppErrorData(e)) return new ApiError(e);
    const message =
      e instanceof Error ? e.message : typeof e === 'string' ? e : 'Something went wrong.';
    return new ApiError({ kind: 'internal', message: message || 'Something went wrong.' });
  }
}

export function isAppErrorData(e: unknown): e is AppErrorData {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return (
    typeof o.kind === 'string' &&
    (ERROR_KINDS as readonly string[]).includes(o.kind) &&
    typeof o.message === 'string'
  );
}

export type ProfileKind = 'cloud' | 'sandbox';
export type TokenStorage = 'keychain' | 'session';

export interface Profile {
  id: string;
  name: string;
  color: string;
  endpoint: string;
  kind: ProfileKind;
  signedIn: boolean;
  tokenStorage?: TokenStorage | null;
  /** Project ids marked as production on this computer: applying env changes asks for the name. */
  productionProjects: string[];
}

export interface AppSnapshot {
  profiles: Profile[];
  activeProfileId?: string | null;
}

export interface ProfileInput {
  id: string | null;
  name: string;
  color: string;
  endpoint: string;
}

export interface SignInInput {
  profileId: string;
  token: string;
  remember: boolean;
}

export interface ProjectRow {
  id: string;
  name: string;
  endpoint: string;
  plan?: string | null;
  tenantId?: string | null;
  slug?: string | null;
  cloud?: string | null;
  region?: string | null;
  createdAt: string;
}

/** A project list as it was when last fetched. */
export interface CachedProjects {
  /** RFC 3339. */
  fetchedAt: string;
  rows: ProjectRow[];
}

export interface ProjectDetails {
  project: ProjectRow;
  consoleUrl: string;
  dashboardUrl: string;
  graphqlUrl: string;
}

export interface TenantInfo {
  tenantId: string;
  slug: string;
  cloud: string;
  region: string;
  projectId: string;
  projectName: string;
  endpoint: string;
}

export interface RegionChoice {
  cloud: string;
  name: string;
}

export interface RegionChoices {
  regions: RegionChoice[];
  fromApi: boolean;
}

export interface EnvPair {
  key: string;
  value: string;
}

export interface CreateProjectInput {
  cloud: string;
  region: string;
  plan: string;
  name: string | null;
  envs: EnvPair[];
}

export interface DeleteProjectInput {
  tenantId: string;
  confirmName: string;
}

export type ExternalTarget = 'console' | 'dashboard' | 'endpoint';

export type MenuActionName =
  | 'newProject'
  | 'refresh'
  | 'search'
  | 'goTo'
  | 'lookUp'
  | 'signOut'
  | 'openSandbox'
  | 'profiles'
  | 'checkUpdates';

// ── The activity log (crates/app-core/src/activity.rs): what the app changed; never values.

export type ActivityKind =
  | 'projectCreated'
  | 'projectRenamed'
  | 'projectDeleted'
  | 'envApplied'
  | 'previewCreated'
  | 'previewDeleted';

export interface KeyActivity {
  key: string;
  kind: ChangeKind;
  /** Fingerprint of the value before (12 hex digits), null for an added key. */
  before?: string | null;
  after?: string | null;
}

export interface ActivityEntry {
  /** RFC 3339. */
  at: string;
  profileName: string;
  sandbox: boolean;
  kind: ActivityKind;
  projectName?: string | null;
  tenantId?: string | null;
  summary: string;
  keys?: KeyActivity[];
}

// ── Preferences and updates (src-tauri/src/update.rs).

export interface Preferences {
  /** Ask the release server for a newer version when the app starts. */
  checkUpdatesAtStart: boolean;
}

export interface UpdateInfo {
  version: string;
  currentVersion: string;
  notes?: string | null;
  /** RFC 3339, when the release says. */
  date?: string | null;
}

export type UpdateProgress =
  | { phase: 'downloading'; downloaded: number; total?: number | null }
  | { phase: 'installing' }
  | { phase: 'restarting' };

export type Unlisten = () => void;

// ── Environment variables (docs/env-contract.md). The draft lives in Rust; the UI renders it.

export interface EnvVar {
  key: string;
  value: string;
  /** The API sent a non-string value; `value` is its JSON text. */
  isJson: boolean;
  /** The key looks like it holds a secret (SECRET, PASSWORD, TOKEN, KEY, credentials in a URL…). */
  secretLike: boolean;
  /** First 12 hex of SHA-256(key + "\0" + value): compares values without revealing them. */
  fingerprint: string;
}

export type EnvEdit = { op: 'set'; key: string; value: string } | { op: 'remove'; key: string };

export type ChangeKind = 'added' | 'changed' | 'removed';

export interface EnvChange {
  key: string;
  kind: ChangeKind;
  oldValue?: string | null;
  newValue?: string | null;
}

export type Severity = 'error' | 'warning';

export interface EnvIssue {
  key: string;
  severity: Severity;
  message: string;
}

export interface EnvDraft {
  tenantId: string;
  /** The hash the staged edits are based on. */
  baseHash: string;
  /** The project's variables as loaded (the base), sorted by key. */
  vars: EnvVar[];
  /** Staged changes against the base, sorted by key. */
  changes: EnvChange[];
  issues: EnvIssue[];
  /** RFC 3339. */
  /** Staged keys whose new value looks secret (Rust's rule), sorted. */
  secretStaged: string[];
  loadedAt: string;
  /** The variables as they were before each apply this session, newest first (kept in the app's
   * memory only; gone on sign-out or a profile switch). */
  snapshots: EnvSnapshot[];
}

export interface EnvSnapshot {
  id: number;
  /** Just before the apply (RFC 3339). */
  takenAt: string;
  /** The keys that apply changed (no values), sorted. */
  applied: KeyChange[];
}

export interface KeyChange {
  key: string;
  kind: ChangeKind;
}

export interface ConflictEntry {
  key: string;
  /** The value the draft was based on; null when the key did not exist. */
  base?: string | null;
  /** The value now in Hasura Cloud; null when someone else removed (or never had) it. */
  theirs?: string | null;
  /** The staged value; null for a staged removal. */
  mine?: string | null;
}

export type Resolution = { choose: 'mine' } | { choose: 'theirs' } | { choose: 'value'; value: string };

export interface KeyResolution {
  key: string;
  resolution: Resolution;
}

export type ApplyOutcome =
  | { outcome: 'applied'; hash: string; changes: EnvChange[] }
  | { outcome: 'nothingChanged' }
  | {
      outcome: 'conflict';
      theirHash: string;
      conflicts: ConflictEntry[];
      mergedWithoutConflict: string[];
    }
  | {
      outcome: 'partial';
      applied: EnvChange[];
      notApplied: EnvChange[];
      error: AppErrorData;
      hash: string;
    };

export interface ImportLineError {
  line: number;
  message: string;
}

/** A `.env` text as Rust's one parser reads it: variables in order, and the lines it could not read. */
export interface ParsedDotenv {
  entries: { key: string; value: string; line: number }[];
  errors: ImportLineError[];
}

export interface ImportPreview {
  added: EnvChange[];
  overwritten: EnvChange[];
  unchanged: string[];
  errors: ImportLineError[];
  issues: EnvIssue[];
}

export type CompareStatus = 'onlyLeft' | 'onlyRight' | 'different' | 'same';

export interface CompareRow {
  key: string;
  status: CompareStatus;
  leftFingerprint?: string | null;
  rightFingerprint?: string | null;
}

export interface EnvComparison {
  leftTenantId: string;
  rightTenantId: string;
  rows: CompareRow[];
}

export type HealthPhase = 'waiting' | 'unhealthy' | 'healthy' | 'gaveUp';

export interface HealthProgress {
  phase: HealthPhase;
  attempt: number;
  elapsedMs: number;
  /** The HTTP status of the last /healthz answer, if there was one. */
  status?: number | null;
  message: string;
}

// ── GitHub preview apps (docs/preview-contract.md). The watch lives in Rust; the UI renders runs.

export interface PreviewAppInput {
  /** "owner/repo" or a pasted URL (https://github.com/o/r(/tree/<branch>/<dir>)?, git@github.com:o/r.git). */
  repository: string;
  branch: string;
  /** The Hasura project folder relative to the repository root; "" or "." for the root. */
  directory: string;
  name: string;
  cloud: string;
  region: string;
  plan: string;
  envs: EnvPair[];
}

export interface RepositoryRef {
  owner: string;
  repo: string;
  branch?: string | null;
  directory?: string | null;
}

export interface GithubTokenStatus {
  stored: boolean;
}

export type TaskState = 'pending' | 'running' | 'succeeded' | 'failed';

export interface TaskView {
  /** The raw name as sent ("gh-validation"); "" when the API sent null. */
  name: string;
  /** Readable: "Fetch metadata and migrations from GitHub"; unknown → the raw name; none → "Unnamed step". */
  label: string;
  state: TaskState;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** finished − started, or now − started while running (when the snapshot was made). */
  durationMs?: number | null;
  error?: string | null;
  githubDetail?: string | null;
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface JobView {
  id: string;
  jobType: string;
  /** The raw status ("created", "running", "success", …). */
  status: string;
  state: JobState;
  tasks: TaskView[];
}

export type RunPhase = 'creating' | 'deploying' | 'succeeded' | 'failed' | 'skipped' | 'gaveUp' | 'lost';

export interface PreviewLinks {
  projectId: string;
  consoleUrl: string;
  endpoint?: string | null;
  graphqlUrl?: string | null;
}

export interface PreviewRun {
  /** The creation job id. */
  id: string;
  profileId: string;
  /** The preview app's name ("" if unknown). */
  name: string;
  phase: RunPhase;
  creation?: JobView | null;
  deployment?: JobView | null;
  links?: PreviewLinks | null;
  /** A sentence for a person on failed / gaveUp / lost / skipped. */
  error?: string | null;
  /** The last transient polling error; polling goes on. */
  pollError?: AppErrorData | null;
  startedAt: string;
  updatedAt: string;
  polls: number;
  /** null once terminal. */
  nextPollInMs?: number | null;
}

export type PreviewAppState = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface PreviewAppRow {
  name: string;
  state: PreviewAppState;
  status: string;
  latestJobId: string;
  jobType: string;
  createdAt: string;
  projectId?: string | null;
  /** Set when the project still exists. */
  tenantId?: string | null;
  endpoint?: string | null;
}

export interface CleanupItem {
  tenantId: string;
  name: string;
}

export interface CleanupInput {
  items: CleanupItem[];
  /** With one item, must equal its name. */
  confirmName: string | null;
}

export interface CleanupFailure {
  name: string;
  error: AppErrorData;
}

export interface CleanupReport {
  deleted: string[];
  failed: CleanupFailure[];
}



/**
 * Everything the UI can ask of the app. Each method resolves with data or throws an `ApiError`.
 * The real implementation (lib/api.ts) goes through Tauri IPC; tests pass a fake.
 */
export interface Api {
  getState(): Promise<AppSnapshot>;
  saveProfile(input: ProfileInput): Promise<AppSnapshot>;
  deleteProfile(id: string): Promise<AppSnapshot>;
  switchProfile(id: string): Promise<AppSnapshot>;
  signIn(input: SignInInput): Promise<AppSnapshot>;
  signOut(profileId: string): Promise<AppSnapshot>;
  /** Marks a project of the active profile as production, or not. */
  setProduction(projectId: string, production: boolean): Promise<AppSnapshot>;
  openSandbox(): Promise<AppSnapshot>;
  listProjects(): Promise<ProjectRow[]>;
  /** The active profile's list as last fetched (kept for working offline), or null. */
  cachedProjects(): Promise<CachedProjects | null>;
  projectDetails(projectId: string): Promise<ProjectDetails>;
  findTenantId(projectId: string): Promise<string>;
  tenantDetails(tenantId: string): Promise<TenantInfo>;
  listRegions(): Promise<RegionChoices>;
  createProject(input: CreateProjectInput): Promise<ProjectRow>;
  renameProject(tenantId: string, name: string): Promise<TenantInfo>;
  deleteProject(input: DeleteProjectInput): Promise<void>;
  openExternal(projectId: string, target: ExternalTarget): Promise<void>;
  /** Native menu → UI. Resolves with a function that stops listening. */
  onMenuAction(cb: (action: MenuActionName) => void): Promise<Unlisten>;

  // Environment variables: the draft (per tenant id) lives in the app, not in the window.
  /** The draft: fresh from the API if there is none; an existing draft as is, with its edits. */
  envLoad(tenantId: string): Promise<EnvDraft>;
  /** Refetches the base and keeps the staged edits (recomputed against the new base). */
  envReload(tenantId: string): Promise<EnvDraft>;
  /** Stages edits; an edit equal to the base value un-stages the key. */
  envStage(tenantId: string, edits: EnvEdit[]): Promise<EnvDraft>;
  envUnstage(tenantId: string, keys: string[]): Promise<EnvDraft>;
  envDiscard(tenantId: string): Promise<EnvDraft>;
  /** Stages, in place of any staged edits, what brings back the variables of a snapshot. */
  envRestore(tenantId: string, snapshotId: number): Promise<EnvDraft>;
  envApply(tenantId: string): Promise<ApplyOutcome>;
  /** One resolution per conflicting key; returns the rebased draft for review. */
  envResolve(tenantId: string, resolutions: KeyResolution[]): Promise<EnvDraft>;
  envImportPreview(tenantId: string, text: string): Promise<ImportPreview>;
  /** Reads a pasted `.env` block (the preview wizard's) with the parser imports use. */
  parseDotenv(text: string): Promise<ParsedDotenv>;
  envImportStage(tenantId: string, text: string): Promise<EnvDraft>;
  /** Asks where to save and writes a .env file: the path written, or null if cancelled. */
  envExport(tenantId: string): Promise<string | null>;
  /** Fingerprints only, never values. */
  envCompare(leftTenantId: string, rightTenantId: string): Promise<EnvComparison>;
  /** Stages the chosen keys' values from one project into the other's draft; returns `to`'s draft. */
  envCopy(fromTenantId: string, toTenantId: string, keys: string[]): Promise<EnvDraft>;
  /** Polls the project's /healthz after an apply; progress per attempt, then the final state. */
  envWatchHealth(tenantId: string, onProgress: (progress: HealthProgress) => void): Promise<HealthProgress>;
  /** Tenant ids with staged changes. */
  envUnsaved(): Promise<string[]>;

  /** The newest `limit` entries of the activity log, newest first. */
  activityList(limit: number): Promise<ActivityEntry[]>;
  activityClear(): Promise<void>;

  getPreferences(): Promise<Preferences>;
  setPreferences(preferences: Preferences): Promise<Preferences>;
  /** Asks the release server; null when this version is the newest. */
  updateCheck(): Promise<UpdateInfo | null>;
  /** Downloads, verifies and installs the update found by the last check, then restarts. */
  updateInstall(onProgress: (progress: UpdateProgress) => void): Promise<void>;
  /**
   * Benchmarks only: reports the first painted project list (page clock, epoch ms). The app
   * prints it when started with HCD_BENCH_READY; otherwise it does nothing. Once per process.
   */
  benchMarkReady(paintedAtMs: number): Promise<void>;
  /** The UI moved to `location`: kept in Rust for when the renderer has to be restarted. */
  rememberLocation(location: Route): Promise<void>;
  /** Asked once as the UI starts: where it was, when the window was restarted after its renderer stopped. */
  resumeAfterRestart(): Promise<Resume | null>;
  /**
   * The window's close button. `cb` resolves true to let the window close, false to keep it.
   * Resolves with a function that stops listening.
   */
  onCloseRequested(cb: () => Promise<boolean>): Promise<Unlisten>;

  // GitHub preview apps: runs are watched in the app; the GitHub token goes in once, never out.
  /** "owner/repo" or a URL → parts; `invalidInput{field:"repository"}` otherwise. */
  parseRepository(text: string): Promise<RepositoryRef>;
  githubTokenStatus(): Promise<GithubTokenStatus>;
  /** Stores (replaces) the active profile's GitHub token in the keychain. */
  setGithubToken(token: string): Promise<GithubTokenStatus>;
  forgetGithubToken(): Promise<GithubTokenStatus>;
  /** Validates, creates, starts the watch; the first snapshot of the run. */
  previewCreate(input: PreviewAppInput): Promise<PreviewRun>;
  /** Runs of the active profile in this app session, newest first. */
  previewRuns(): Promise<PreviewRun[]>;
  /** Follows an existing creation job (or resumes after gaveUp). */
  previewWatch(jobId: string): Promise<PreviewRun>;
  previewDismiss(jobId: string): Promise<void>;
  previewApps(): Promise<PreviewAppRow[]>;
  previewCleanup(input: CleanupInput): Promise<CleanupReport>;
  /** Every change of any run. Resolves with a function that stops listening. */
  onPreviewRunChanged(cb: (run: PreviewRun) => void): Promise<Unlisten>;
}

/** What a page finds when the window was restarted after its renderer stopped. */
export interface Resume {
  /** The screen it was on, when it had said. */
  location: Route | null;
  /** How many times the renderer stopped in this run of the app. */
  restarts: number;
}
