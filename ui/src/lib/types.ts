// The UI's own view of the IPC contract (shared-spec/ipc-spec.md). Components use these types and
// the `Api` interface; only lib/api.ts knows about the generated bindings and maps them onto this.
// Optional fields are typed `?: T | null` so that either serialisation of an `Option` fits.

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
  | 'lookUp'
  | 'signOut'
  | 'openSandbox'
  | 'profiles';

export type Unlisten = () => void;

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
  openSandbox(): Promise<AppSnapshot>;
  listProjects(): Promise<ProjectRow[]>;
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
}
