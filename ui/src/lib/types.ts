// The UI's view of the IPC contract (docs/ipc-contract.md). The data types are the ones
// tauri-specta generates from the Rust types (lib/bindings.ts), named here once for the UI; what
// is the UI's own is the `Api` interface, `ApiError` and `Unlisten`. Only lib/api.ts calls the
// generated commands; this file only takes their types.
//
// The generator writes two shapes of a type whose Rust side has an `Option`: `X_Serialize` (what
// Rust sends: every field present, `null` when unset) and `X_Deserialize` (what Rust accepts:
// such fields may be left out). Data the UI receives uses the first, input it sends the second.

import type * as ipc from './bindings';

// ── Types with one shape.

export type ActivityKind = ipc.ActivityKind;
export type ChangeKind = ipc.ChangeKind;
export type CleanupItem = ipc.CleanupItem;
export type CompareStatus = ipc.CompareStatus;
export type DeleteProjectInput = ipc.DeleteProjectInput;
export type EnvEdit = ipc.EnvEdit;
export type EnvIssue = ipc.EnvIssue;
export type EnvPair = ipc.EnvPair;
export type EnvRowsCheck = ipc.EnvRowsCheck;
export type EnvPaste = ipc.EnvPaste;
export type EnvSnapshot = ipc.EnvSnapshot;
export type EnvVar = ipc.EnvVar;
export type FleetChange = ipc.FleetChange;
export type FleetControl = ipc.Control;
export type FleetPhase = ipc.FleetPhase;
export type FleetPreview = ipc.FleetPreview;
export type FleetStart = ipc.FleetStart;
export type FleetUsage = ipc.FleetUsage;
export type FindProgress = ipc.FindProgress;
export type CustomDomainView = ipc.CustomDomainView;
export type CollaboratorView = ipc.CollaboratorView;
export type InvitationView = ipc.InvitationView;
export type Privilege = ipc.Privilege;
export type PrivilegeChoice = ipc.PrivilegeChoice;
export type TeamOutcome = ipc.TeamOutcome;
export type DnsValidation = ipc.DnsValidation;
export type PlanChoice = ipc.PlanChoice;
export type PlanStatus = ipc.PlanStatus;
export type ProjectPreview = ipc.ProjectPreview;
export type RowState = ipc.RowState;
export type UsageRow = ipc.UsageRow;
export type ExternalTarget = ipc.ExternalTarget;
export type FieldCheck = ipc.FieldCheck;
export type FormRules = ipc.FormRules;
export type GithubTokenStatus = ipc.GithubTokenStatus;
export type HealthPhase = ipc.HealthPhase;
export type ImportLineError = ipc.ImportLineError;
export type JobState = ipc.JobState;
export type Link = ipc.Link;
export type KeyChange = ipc.KeyChange;
export type KeyResolution = ipc.KeyResolution;
export type PreviewAppInput = ipc.PreviewAppInput;
export type PreviewAppState = ipc.PreviewAppState;
export type PreviewView = ipc.PreviewView;
export type ProblemReport = ipc.ProblemReport;
export type ProfileKind = ipc.ProfileKind;
export type ProjectTab = ipc.ProjectTab;
export type Resolution = ipc.Resolution;
export type RunPhase = ipc.RunPhase;
export type Severity = ipc.Severity;
export type TaskState = ipc.TaskState;
export type TenantInfo = ipc.TenantInfo;
export type ThirdPartyLicenses = ipc.ThirdPartyLicenses;
export type TokenStorage = ipc.TokenStorage;

// ── What the UI receives (Rust serialises it).

export type About = ipc.About_Serialize;
export type ActivityEntry = ipc.ActivityEntry_Serialize;
export type FleetRow = ipc.FleetRow_Serialize;
export type FleetRun = ipc.FleetRun_Serialize;
export type AppError = ipc.AppError_Serialize;
export type AppSnapshot = ipc.AppSnapshot_Serialize;
export type ApplyOutcome = ipc.ApplyOutcome_Serialize;
export type CachedProjects = ipc.CachedProjects_Serialize;
export type CustomDomainsView = ipc.CustomDomainsView_Serialize;
export type TeamView = ipc.TeamView_Serialize;
export type PlanChoices = ipc.PlanChoices_Serialize;
export type PlanChangeOutcome = ipc.PlanChangeOutcome_Serialize;
export type CleanupFailure = ipc.CleanupFailure_Serialize;
export type CleanupReport = ipc.CleanupReport_Serialize;
export type CompareRow = ipc.CompareRow_Serialize;
export type ConflictEntry = ipc.ConflictEntry_Serialize;
export type EnvChange = ipc.EnvChange_Serialize;
export type EnvConflict = ipc.EnvConflict_Serialize;
export type EnvComparison = ipc.EnvComparison_Serialize;
export type EnvDraft = ipc.EnvDraft_Serialize;
export type HealthProgress = ipc.HealthProgress_Serialize;
export type ImportPreview = ipc.ImportPreview_Serialize;
export type JobView = ipc.JobView_Serialize;
export type KeyActivity = ipc.KeyActivity_Serialize;
export type LinkTargets = ipc.LinkTargets_Serialize;
export type Preferences = ipc.Preferences_Serialize;
export type PreviewAppRow = ipc.PreviewAppRow_Serialize;
export type PreviewLinks = ipc.PreviewLinks_Serialize;
export type PreviewRun = ipc.PreviewRun_Serialize;
export type Profile = ipc.Profile_Serialize;
export type ProjectDetails = ipc.ProjectDetails_Serialize;
export type ProjectRow = ipc.ProjectRow_Serialize;
export type RegionChoice = ipc.RegionChoice_Serialize;
export type RegionChoices = ipc.RegionChoices_Serialize;
export type RepositoryRef = ipc.RepositoryRef_Serialize;
export type SignedIn = ipc.SignedIn_Serialize;
/** What a page finds when the window was restarted after its renderer stopped. */
export type Resume = ipc.Resume_Serialize;
export type TaskView = ipc.TaskView_Serialize;
export type UpdateInfo = ipc.UpdateInfo_Serialize;
export type UpdateProgress = ipc.UpdateProgress_Serialize;

/** A screen of the UI (lib/nav.svelte.ts); Rust keeps the last one for a renderer restart. */
export type Route = ipc.Location_Serialize;
/** An item of the native menu. */
export type MenuActionName = ipc.MenuCommand;

// ── What the UI sends (Rust deserialises it).

export type CleanupInput = ipc.CleanupInput_Deserialize;
export type ChangePlanInput = ipc.ChangePlanInput_Deserialize;
export type InviteInput = ipc.InviteInput;
export type CreateProjectInput = ipc.CreateProjectInput_Deserialize;
export type FleetRule = ipc.FleetRule_Deserialize;
export type ProfileInput = ipc.ProfileInput_Deserialize;
export type SignIn = ipc.SignIn_Deserialize;

// ── Errors.

export type ErrorKind = AppError['kind'];

/** Every kind, once: the compiler checks this list against the generated `AppError`. */
const KINDS: Record<ErrorKind, true> = {
  tokenRejected: true,
  keychainUnavailable: true,
  notSignedIn: true,
  network: true,
  timeout: true,
  rateLimited: true,
  conflict: true,
  nothingChanged: true,
  notFound: true,
  invalidInput: true,
  server: true,
  internal: true,
};

/** What every `Api` method rejects with: an `AppError`, its details flattened. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly field: string | null;
  readonly retryAfterSecs: number | null;
  readonly code: string | null;
  readonly requestId: string | null;

  constructor(data: AppError) {
    super(data.message);
    this.name = 'ApiError';
    this.kind = data.kind;
    this.field = ('field' in data ? data.field : null) ?? null;
    this.retryAfterSecs = ('retryAfterSecs' in data ? data.retryAfterSecs : null) ?? null;
    this.code = ('code' in data ? data.code : null) ?? null;
    this.requestId = ('requestId' in data ? data.requestId : null) ?? null;
  }

  /** Anything a command threw, as an ApiError (unknown failures become `internal`). For lib/api.ts. */
  static from(e: unknown): ApiError {
    if (e instanceof ApiError) return e;
    if (isAppError(e)) return new ApiError(e);
    const message =
      e instanceof Error ? e.message : typeof e === 'string' ? e : 'Something went wrong.';
    return new ApiError({ kind: 'internal', message: message || 'Something went wrong.' });
  }
}

/**
 * What the `catch` of an `Api` call caught. Every `Api` method rejects with an ApiError (lib/api.ts
 * and the test fakes see to it), so this only names the type; it converts nothing.
 */
export function asApiError(e: unknown): ApiError {
  return e as ApiError;
}

function isAppError(e: unknown): e is AppError {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.kind === 'string' && Object.hasOwn(KINDS, o.kind) && typeof o.message === 'string';
}

export type Unlisten = () => void;

/** The page's clock (epoch ms) at three moments of the first project list's showing. */
export interface ListPaintMarks {
  /** Its rows were in the document. */
  rowsInDomAtMs: number;
  /** The frame that paints them began. */
  frameAtMs: number;
  /** That frame was painted. */
  paintedAtMs: number;
}

/** What a command answers, as the UI sees it: a command that answers `null` ("done") is `void`. */
type Answer<T> = [T] extends [null] ? void : T;
type Generated = typeof ipc.commands;
/** Every generated command, as the UI calls it: same arguments, rejecting with an ApiError only. */
type CommandApi = {
  [K in keyof Generated]: (...args: Parameters<Generated[K]>) => Promise<Answer<Awaited<ReturnType<Generated[K]>>>>;
};

/** Where the UI's `Api` differs from a plain command: callbacks instead of channels, events, the window. */
interface Extras {
  /** Polls the project's /healthz after an apply; progress per attempt, then the final state. */
  envWatchHealth(tenantId: string, onProgress: (progress: HealthProgress) => void): Promise<HealthProgress>;
  /** "Find projects with this value" for `key` of `tenantId`; progress after each project read. */
  fleetFindUsage(tenantId: string, key: string, onProgress: (progress: FindProgress) => void): Promise<FleetUsage>;
  /** Downloads, verifies and installs the update found by the last check, then restarts. */
  updateInstall(onProgress: (progress: UpdateProgress) => void): Promise<void>;
  /**
   * Benchmarks only: reports the first painted project list (page clock, epoch ms), when its rows
   * were in the document and when the frame painting them began; once per page.
   */
  benchMarkReady(marks: ListPaintMarks): Promise<void>;
  /** The UI moved to `location`: kept in Rust for when the renderer has to be restarted. */
  rememberLocation(location: Route): Promise<void>;
  /** Native menu → UI. Resolves with a function that stops listening. */
  onMenuAction(cb: (action: MenuActionName) => void): Promise<Unlisten>;
  /** Every change of any preview-app run. Resolves with a function that stops listening. */
  onPreviewRunChanged(cb: (run: PreviewRun) => void): Promise<Unlisten>;
  /** Every change of any fleet run Rust drives. Resolves with a function that stops listening. */
  onFleetRunChanged(cb: (run: FleetRun) => void): Promise<Unlisten>;
  /** A `hasura-cloud-desktop://` link arrived (take it with `takeLink`). Resolves with a function that stops listening. */
  onLinkReceived(cb: () => void): Promise<Unlisten>;
  /**
   * The window's close button. `cb` resolves true to let the window close, false to keep it.
   * Resolves with a function that stops listening.
   */
  onCloseRequested(cb: () => Promise<boolean>): Promise<Unlisten>;
}

/**
 * Everything the UI can ask of the app: the generated commands (their documentation is Rust's,
 * in lib/bindings.ts) plus `Extras`. Each method resolves with data or rejects with an
 * `ApiError`, never anything else. The real implementation (lib/api.ts) goes through Tauri IPC;
 * tests pass a fake.
 */
export type Api = Omit<CommandApi, keyof Extras> & Extras;
