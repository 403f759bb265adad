// A configurable, in-memory fake of the `Api` for component tests. It behaves like the app
// (profiles, sign-in, projects, regions, env drafts with apply/conflicts/import/compare) and lets
// a test make any call fail, or hold it pending to see a loading state. Every method is a
// `vi.fn`, so calls can be asserted, and, like lib/api.ts, rejects with an ApiError only.
import { vi, type Mock } from 'vitest';
import {
  ApiError,
  type Api,
  type AppError,
  type ErrorKind,
  type AppSnapshot,
  type ApplyOutcome,
  type ConflictEntry,
  type EnvChange,
  type EnvDraft,
  type EnvIssue,
  type EnvPair,
  type FieldCheck,
  type FormRules,
  type HealthProgress,
  type DotenvEntry,
  type ImportLineError,
  type ParsedDotenv,
  type MenuActionName,
  type Preferences,
  type ActivityEntry,
  type CachedProjects,
  type Profile,
  type PreviewRun,
  type ProjectDetails,
  type ProjectRow,
  type RegionChoices,
  type Resume,
  type TenantInfo,
  type UpdateInfo,
  type UpdateProgress,
} from '../lib/types';
import type { Route } from '../lib/nav.svelte';
import { FakePreview } from './fake-preview';

type Methods = Omit<Api, 'onMenuAction' | 'onCloseRequested' | 'onPreviewRunChanged'>;
export type MethodName = keyof Methods;

export type FakeApi = {
  [K in MethodName]: Mock<Methods[K]>;
} & {
  onMenuAction: Mock<Api['onMenuAction']>;
  onCloseRequested: Mock<Api['onCloseRequested']>;
  onPreviewRunChanged: Mock<Api['onPreviewRunChanged']>;
};

/** A value as the Cloud API stores it: a string, or any JSON value (shown as JSON text). */
export type EnvValue = string | number | boolean | null | EnvValue[] | { [k: string]: EnvValue };

type Edit = { op: 'set'; value: string } | { op: 'remove' };

interface RemoteEnv {
  hash: string;
  vars: Map<string, EnvValue>;
}

interface PendingConflict {
  theirHash: string;
  theirs: Map<string, EnvValue>;
  conflicts: ConflictEntry[];
  merged: string[];
}

interface FakeSnapshot {
  id: number;
  takenAt: string;
  vars: Map<string, EnvValue>;
  applied: EnvChange[];
}

interface FakeDraft {
  baseHash: string;
  base: Map<string, EnvValue>;
  edits: Map<string, Edit>;
  loadedAt: string;
  conflict: PendingConflict | null;
  /** Oldest first, as the app keeps them. */
  snapshots: FakeSnapshot[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_VALUE = 64 * 1024;

function text(v: EnvValue | undefined): string | null {
  if (v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** 12 hex characters standing in for SHA-256(key + "\0" + value). */
export function fingerprint(key: string, value: string): string {
  const s = `${key}\0${value}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).slice(0, 12);
}

/** A small `.env` parser: comments, `export`, quotes (multi-line double quotes), inline comments. */
export function parseDotenv(input: string): ParsedDotenv {
  const lines = input.split(/\r?\n/);
  const entries: DotenvEntry[] = [];
  const errors: ImportLineError[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const trimmed = lines[i]!.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const s = trimmed.replace(/^export\s+/, '');
    const eq = s.indexOf('=');
    if (eq < 0) {
      errors.push({ line, message: 'Expected KEY=VALUE.' });
      continue;
    }
    const key = s.slice(0, eq).trim();
    if (!/^[A-Za-z0-9_.]+$/.test(key)) {
      errors.push({ line, message: `Invalid key “${key}”.` });
      continue;
    }
    let rest = s.slice(eq + 1).trimStart();
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const q = rest[0]!;
      let value = '';
      let j = 1;
      let closed = false;
      for (;;) {
        for (; j < rest.length; j++) {
          const ch = rest[j]!;
          if (q === '"' && ch === '\\' && j + 1 < rest.length) {
            const n = rest[++j]!;
            value += n === 'n' ? '\n' : n;
          } else if (ch === q) {
            closed = true;
            break;
          } else {
            value += ch;
          }
        }
        if (closed || i + 1 >= lines.length) break;
        i++;
        value += '\n';
        rest = lines[i]!;
        j = 0;
      }
      if (!closed) {
        errors.push({ line, message: `Unterminated ${q === '"' ? 'double' : 'single'} quote.` });
        continue;
      }
      entries.push({ key, value, line });
    } else {
      const hash = rest.search(/\s#/);
      entries.push({ key, value: (hash >= 0 ? rest.slice(0, hash) : rest).trimEnd(), line });
    }
  }
  return { entries, errors };
}

function issuesFor(key: string, value: string): EnvIssue[] {
  const out: EnvIssue[] = [];
  if (key === '') out.push({ key, severity: 'error', message: 'The key is empty.' });
  else if (!ENV_NAME.test(key)) {
    out.push({ key, severity: 'error', message: `${key} is not a valid name: use letters, digits and underscores, not starting with a digit.` });
  }
  if (value.length > MAX_VALUE) out.push({ key, severity: 'error', message: 'The value is longer than 64 KiB.' });
  if (key.startsWith('HASURA_') && !key.startsWith('HASURA_GRAPHQL_')) {
    out.push({ key, severity: 'warning', message: `${key} starts with HASURA_ but is not a known engine variable.` });
  }
  if (key.startsWith('HASURA_') && /^(postgres(ql)?|mysql|mssql|sqlserver|mongodb):\/\//i.test(value)) {
    out.push({ key, severity: 'warning', message: 'Hasura Cloud does not allow a database URL in a HASURA_ variable.' });
  }
  return out;
}

function dotenvQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export interface FakeOptions {
  profiles?: Profile[];
  activeProfileId?: string | null;
  projects?: ProjectRow[];
  regions?: RegionChoices;
}

interface Deferred {
  promise: Promise<void>;
  release: () => void;
}

function deferred(): Deferred {
  let release!: () => void;
  const promise = new Promise<void>((r) => (release = r));
  return { promise, release };
}

let counter = 0;
export function uuid(n = ++counter): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/**
 * The fake's stand-in for app-core's secret rule (`env::issues::secret_like`, tested there): a few
 * words in the key, or a URL with a password. Components only render the flags it yields.
 */
function looksSecret(key: string, value: string): boolean {
  return /SECRET|PASSWORD|TOKEN|(^|_)KEY($|_)/i.test(key) || /^[a-z]+:\/\/[^/\s@:]*:[^/\s@]*@/i.test(value);
}

export function makeProject(i: number, extra: Partial<ProjectRow> = {}): ProjectRow {
  const clouds = ['aws', 'gcp', 'azure'];
  const regions: Record<string, string[]> = {
    aws: ['us-east-2', 'eu-central-1', 'ap-south-1'],
    gcp: ['us-central1', 'europe-west1'],
    azure: ['eastus'],
  };
  const plans = ['cloud_free', 'cloud_payg', 'cloud_free_v2', 'cloud_shared'];
  const cloud = clouds[i % clouds.length]!;
  const region = regions[cloud]![i % regions[cloud]!.length]!;
  const name = `project-${String(i).padStart(4, '0')}`;
  return {
    id: `10000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    name,
    endpoint: `https://${name}.hasura.app`,
    plan: plans[i % plans.length]!,
    tenantId: `20000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    slug: `${name}-slug`,
    cloud,
    region,
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
    ...extra,
  };
}

export const cloudProfile = (extra: Partial<Profile> = {}): Profile => ({
  id: 'p-work',
  name: 'Work',
  color: '#3157d5',
  endpoint: 'https://data.pro.hasura.io/v1/graphql',
  kind: 'cloud',
  signedIn: true,
  tokenStorage: 'keychain',
  productionProjects: [],
  endpointNote: null,
  ...extra,
});

export const sandboxProfile = (extra: Partial<Profile> = {}): Profile => ({
  id: 'p-sandbox',
  name: 'Sandbox',
  color: '#c2410c',
  endpoint: 'http://127.0.0.1:4000/v1/graphql',
  kind: 'sandbox',
  signedIn: true,
  tokenStorage: 'session',
  productionProjects: [],
  endpointNote: null,
  ...extra,
});

export const DEFAULT_REGIONS: RegionChoices = {
  fromApi: true,
  regions: [
    { cloud: 'aws', name: 'us-east-2' },
    { cloud: 'aws', name: 'us-west-1' },
    { cloud: 'aws', name: 'eu-central-1' },
    { cloud: 'gcp', name: 'us-central1' },
    { cloud: 'gcp', name: 'europe-west1' },
    { cloud: 'azure', name: 'eastus' },
  ],
};

/** Details of any kind, for brevity: the fake need not follow which kind carries which. */
type ErrorDetails = { field?: string | null; retryAfterSecs?: number | null; code?: string | null; requestId?: string | null };

export function err(kind: ErrorKind, message: string, details: ErrorDetails = {}): ApiError {
  return new ApiError({ kind, message, ...details } as AppError);
}

export class FakeBackend {
  profiles: Profile[];
  activeProfileId: string | null;
  projects: ProjectRow[];
  regions: RegionChoices;
  /** Tokens the fake accepts; any other is `tokenRejected`. */
  validTokens = new Set(['good-token']);
  keychainWorks = true;
  readonly api: FakeApi;
  /** GitHub preview apps: token status, scripted runs (`preview.step()`), the list, cleanup. */
  readonly preview: FakePreview = new FakePreview(this);

  /**
   * The form rules are Rust's (app_core::checks); the fake only answers what a test scripts:
   * `checkField` finds a problem only through `fieldProblems`, `checkEnvRows` only through
   * `envRowCheck`, and `suggestPreviewName` answers `suggestedName` (or the branch as given).
   */
  fieldProblems: Partial<Record<FieldCheck['rule'], (text: string) => string | null>> = {};
  envRowCheck: ((rows: EnvPair[]) => (string | null)[]) | null = null;
  suggestedName: ((branch: string, repository: string) => string) | null = null;
  formRules: FormRules = {
    clouds: ['aws', 'gcp', 'azure'],
    plans: ['cloud_free', 'cloud_payg', 'cloud_free_v2', 'cloud_shared'],
    previewClouds: ['aws', 'gcp'],
    previewPlans: ['cloud_free', 'cloud_payg'],
    defaultEndpoint: 'https://data.pro.hasura.io/v1/graphql',
  };
  preferences: Preferences = { checkUpdatesAtStart: true };
  /** Where the UI last said it was (`rememberLocation`). */
  location: Route | null = null;
  /** What `resumeAfterRestart` answers once: set it to start as after a renderer restart. */
  resume: Resume | null = null;
  /** The project list kept for working offline. */
  cachedList: CachedProjects | null = null;
  /** The activity log, oldest first. */
  activity: ActivityEntry[] = [];
  /** What `updateCheck` answers: null when up to date. */
  update: UpdateInfo | null = null;
  /** Progress `updateInstall` sends before it resolves (a real install restarts the app). */
  updateSteps: UpdateProgress[] = [
    { phase: 'downloading', downloaded: 512, total: 1024 },
    { phase: 'downloading', downloaded: 1024, total: 1024 },
    { phase: 'installing' },
  ];
  /** The version `updateInstall` installed. */
  installedUpdate: string | null = null;

  /** What `envExport` answers: the path "written", or null as if the person cancelled. */
  exportPath: string | null = '/home/me/project.env';
  /** The text of the last export. */
  exportedText: string | null = null;
  /** Progress `envWatchHealth` sends, one per attempt; the last one is also its answer. */
  healthSteps: HealthProgress[] = [
    { phase: 'waiting', attempt: 0, elapsedMs: 0, status: null, message: 'Waiting for the project to restart…' },
    { phase: 'unhealthy', attempt: 1, elapsedMs: 2500, status: 503, message: '/healthz answered 503' },
    { phase: 'healthy', attempt: 2, elapsedMs: 3250, status: 200, message: '/healthz answered 200 OK' },
  ];

  #failures = new Map<MethodName, ApiError[]>();
  #holds = new Map<MethodName, Deferred>();
  #menuListeners = new Set<(a: MenuActionName) => void>();
  #closeListeners = new Set<() => Promise<boolean>>();
  #nextProfile = 1;
  #envs = new Map<string, RemoteEnv>();
  #drafts = new Map<string, FakeDraft>();
  #hashes = 0;
  #removalFailure: ApiError | null = null;
  #healthGate: { waiters: (() => void)[]; credits: number } | null = null;

  constructor(opts: FakeOptions = {}) {
    this.profiles = opts.profiles ? structuredClone(opts.profiles) : [];
    this.activeProfileId = opts.activeProfileId !== undefined ? opts.activeProfileId : (this.profiles[0]?.id ?? null);
    this.projects = opts.projects ? [...opts.projects] : [];
    this.regions = opts.regions ?? DEFAULT_REGIONS;

    const impl: Methods = {
      getState: async () => this.snapshot(),
      deleteProfile: async (id) => {
        this.profiles = this.profiles.filter((p) => p.id !== id);
        if (this.activeProfileId === id) this.activeProfileId = this.profiles[0]?.id ?? null;
        return this.snapshot();
      },
      setProduction: async (projectId, production) => {
        const p = this.profiles.find((x) => x.id === this.activeProfileId);
        if (!p) throw err('notSignedIn', 'Choose a profile, or add one, and sign in first.');
        const marks = p.productionProjects.filter((id) => id !== projectId);
        p.productionProjects = production ? [...marks, projectId] : marks;
        return this.snapshot();
      },
      switchProfile: async (id) => {
        if (!this.profiles.some((p) => p.id === id)) throw err('notFound', 'That profile no longer exists.');
        this.activeProfileId = id;
        return this.snapshot();
      },
      signIn: async ({ profile, token, remember }) => {
        const existing = profile.id ? this.profiles.find((x) => x.id === profile.id) : undefined;
        if (profile.id && !existing) throw err('notFound', 'That profile no longer exists.');
        if (!this.validTokens.has(token.trim())) {
          throw err('tokenRejected', 'Hasura Cloud rejected this token. It may have been deleted.');
        }
        if (remember && !this.keychainWorks) {
          throw err('keychainUnavailable', 'The Secret Service is not running, so the token cannot be stored.');
        }
        // Saved only now that the token was accepted and kept.
        const p =
          existing ??
          this.profiles[
            this.profiles.push({
              id: `p-new-${this.#nextProfile++}`,
              name: '',
              color: '',
              endpoint: '',
              kind: 'cloud',
              signedIn: false,
              tokenStorage: null,
              productionProjects: [],
              endpointNote: null,
            }) - 1
          ]!;
        Object.assign(p, { name: profile.name.trim(), color: profile.color ?? '', endpoint: profile.endpoint ?? '' });
        p.signedIn = true;
        p.tokenStorage = remember ? 'keychain' : 'session';
        this.activeProfileId = p.id;
        return { profileId: p.id, state: this.snapshot() };
      },
      signOut: async (profileId) => {
        const p = this.profiles.find((x) => x.id === profileId);
        if (p) {
          p.signedIn = false;
          p.tokenStorage = null;
        }
        return this.snapshot();
      },
      openSandbox: async () => {
        let p = this.profiles.find((x) => x.kind === 'sandbox');
        if (!p) {
          p = sandboxProfile();
          this.profiles.push(p);
        }
        p.signedIn = true;
        p.tokenStorage = 'session';
        this.activeProfileId = p.id;
        return this.snapshot();
      },
      listProjects: async () => [...this.projects],
      cachedProjects: async () => structuredClone(this.cachedList),
      projectDetails: async (projectId) => {
        const row = this.projects.find((r) => r.id === projectId);
        if (!row) throw err('notFound', 'No project with this id.');
        return this.details(row);
      },
      findTenantId: async (projectId) => {
        const row = this.projects.find((r) => r.id === projectId);
        if (!row?.tenantId) throw err('notFound', 'No project with this id is visible to this token.');
        return row.tenantId;
      },
      tenantDetails: async (tenantId) => {
        const row = this.projects.find((r) => r.tenantId === tenantId);
        if (!row) throw err('notFound', 'No tenant with this id.');
        return this.tenant(row);
      },
      listRegions: async () => structuredClone(this.regions),
      createProject: async (input) => {
        const i = this.projects.length + 9000;
        const row = makeProject(i, {
          name: input.name ?? `generated-${i}`,
          cloud: input.cloud,
          region: input.region,
          plan: input.plan,
        });
        this.projects.push(row);
        return row;
      },
      renameProject: async (tenantId, name) => {
        const row = this.projects.find((r) => r.tenantId === tenantId);
        if (!row) throw err('notFound', 'No tenant with this id.');
        row.name = name;
        row.slug = name;
        row.endpoint = `https://${name}.hasura.app`;
        return this.tenant(row);
      },
      deleteProject: async (input) => {
        const row = this.projects.find((r) => r.tenantId === input.tenantId);
        if (!row) throw err('notFound', 'No tenant with this id.');
        if (row.name !== input.confirmName) {
          throw err('invalidInput', 'The name typed does not match.', { field: 'confirmName' });
        }
        this.projects = this.projects.filter((r) => r !== row);
      },
      openExternal: async () => {},
      checkField: async (check) => this.fieldProblem(check),
      checkEnvRows: async (rows) => this.envRowProblems(rows),
      suggestPreviewName: async (branch, repository) => this.suggestName(branch, repository),
      formRules: async () => structuredClone(this.formRules),

      envLoad: async (tenantId) => this.envView(tenantId),
      envReload: async (tenantId) => {
        const d = this.draftFor(tenantId);
        const remote = this.remote(tenantId);
        // Like the app: a staged key changed by someone else is a conflict, not a rebase.
        const pending = this.#conflictWith(d, remote);
        if (pending.conflicts.length > 0) {
          d.conflict = pending;
          return this.envView(tenantId);
        }
        d.base = new Map(remote.vars);
        d.baseHash = remote.hash;
        d.loadedAt = new Date().toISOString();
        d.conflict = null;
        this.normalize(d);
        return this.envView(tenantId);
      },
      envStage: async (tenantId, edits) => {
        const d = this.draftFor(tenantId);
        for (const e of edits) d.edits.set(e.key, e.op === 'set' ? { op: 'set', value: e.value } : { op: 'remove' });
        this.normalize(d);
        return this.envView(tenantId);
      },
      envUnstage: async (tenantId, keys) => {
        const d = this.draftFor(tenantId);
        for (const k of keys) d.edits.delete(k);
        return this.envView(tenantId);
      },
      envDiscard: async (tenantId) => {
        const d = this.draftFor(tenantId);
        d.edits.clear();
        d.conflict = null;
        return this.envView(tenantId);
      },
      envRestore: async (tenantId, snapshotId) => this.restore(tenantId, snapshotId),
      envApply: async (tenantId) => this.apply(tenantId),
      envResolve: async (tenantId, resolutions) => {
        const d = this.draftFor(tenantId);
        const c = d.conflict;
        if (!c) throw err('invalidInput', 'There is no conflict to resolve; apply again.', { field: 'envs' });
        const chosen = new Map(resolutions.map((r) => [r.key, r.resolution]));
        for (const entry of c.conflicts) {
          if (!chosen.has(entry.key)) {
            throw err('invalidInput', `Choose what to keep for ${entry.key}.`, { field: 'envs' });
          }
        }
        const conflicting = new Set(c.conflicts.map((e) => e.key));
        const edits = new Map<string, Edit>();
        for (const [key, edit] of d.edits) {
          if (!conflicting.has(key)) {
            edits.set(key, edit);
            continue;
          }
          const r = chosen.get(key)!;
          if (r.choose === 'mine') edits.set(key, edit);
          else if (r.choose === 'value') edits.set(key, { op: 'set', value: r.value });
        }
        d.base = new Map(c.theirs);
        d.baseHash = c.theirHash;
        d.edits = edits;
        d.conflict = null;
        this.normalize(d);
        return this.envView(tenantId);
      },
      parseDotenv: async (text) => parseDotenv(text),
      envImportPreview: async (tenantId, input) => {
        const { entries, errors } = parseDotenv(input);
        const view = this.currentView(tenantId);
        const last = new Map<string, string>();
        const lines = new Map<string, number[]>();
        for (const e of entries) {
          last.set(e.key, e.value);
          lines.set(e.key, [...(lines.get(e.key) ?? []), e.line]);
        }
        const added: EnvChange[] = [];
        const overwritten: EnvChange[] = [];
        const unchanged: string[] = [];
        const issues: EnvIssue[] = [];
        for (const [key, value] of [...last].sort(([a], [b]) => (a < b ? -1 : 1))) {
          const old = view.get(key);
          if (old === undefined) added.push({ key, kind: 'added', oldValue: null, newValue: value });
          else if (old !== value) overwritten.push({ key, kind: 'changed', oldValue: old, newValue: value });
          else unchanged.push(key);
          const at = lines.get(key)!;
          if (at.length > 1) {
            issues.push({ key, severity: 'error', message: `${key} appears more than once (lines ${at.join(', ')}).` });
          }
          issues.push(...issuesFor(key, value));
        }
        return { added, overwritten, unchanged, errors, issues };
      },
      envImportStage: async (tenantId, input) => {
        const { entries, errors } = parseDotenv(input);
        if (errors.length > 0) {
          throw err('invalidInput', `The text has ${errors.length} line(s) that could not be read.`, { field: 'envs' });
        }
        const d = this.draftFor(tenantId);
        const view = this.currentView(tenantId);
        for (const e of entries) if (view.get(e.key) !== e.value) d.edits.set(e.key, { op: 'set', value: e.value });
        this.normalize(d);
        return this.envView(tenantId);
      },
      envExport: async (tenantId) => {
        const view = this.currentView(tenantId);
        this.exportedText = [...view].map(([k, v]) => `${k}=${dotenvQuote(v)}`).join('\n') + '\n';
        return this.exportPath;
      },
      envCompare: async (left, right) => {
        const l = this.remote(left).vars;
        const r = this.remote(right).vars;
        const keys = [...new Set([...l.keys(), ...r.keys()])].sort();
        return {
          leftTenantId: left,
          rightTenantId: right,
          rows: keys.map((key) => {
            const lv = text(l.get(key));
            const rv = text(r.get(key));
            const leftFingerprint = lv === null ? null : fingerprint(key, lv);
            const rightFingerprint = rv === null ? null : fingerprint(key, rv);
            const status = lv === null ? 'onlyRight' : rv === null ? 'onlyLeft' : lv === rv ? 'same' : 'different';
            return { key, status, leftFingerprint, rightFingerprint };
          }),
        };
      },
      envCopy: async (from, to, keys) => {
        const source = this.remote(from).vars;
        const d = this.draftFor(to);
        for (const key of keys) {
          const v = text(source.get(key));
          if (v === null) throw err('invalidInput', `${key} does not exist in the source project.`, { field: 'envs' });
          d.edits.set(key, { op: 'set', value: v });
        }
        this.normalize(d);
        return this.envView(to);
      },
      envWatchHealth: async (_tenantId, onProgress) => {
        const steps = this.healthSteps;
        for (let i = 0; i < steps.length; i++) {
          if (i > 0) await this.#healthTurn();
          onProgress(structuredClone(steps[i]!));
        }
        return structuredClone(steps[steps.length - 1]!);
      },
      envUnsaved: async () => [...this.#drafts].filter(([, d]) => d.edits.size > 0).map(([t]) => t),
      benchMarkReady: async () => {},
      rememberLocation: async (location) => {
        this.location = structuredClone(location);
      },
      resumeAfterRestart: async () => {
        const resume = this.resume;
        this.resume = null;
        return structuredClone(resume);
      },

      activityList: async (limit) => structuredClone(this.activity.slice(-limit).reverse()),
      activityClear: async () => {
        this.activity = [];
      },
      getPreferences: async () => structuredClone(this.preferences),
      setPreferences: async (preferences) => {
        this.preferences = structuredClone(preferences);
        return structuredClone(preferences);
      },
      updateCheck: async () => structuredClone(this.update),
      updateInstall: async (onProgress) => {
        if (!this.update) throw err('notFound', 'There is no update to install. Check for updates first.');
        for (const progress of this.updateSteps) onProgress(structuredClone(progress));
        this.installedUpdate = this.update.version;
      },

      parseRepository: async (text) => this.preview.parseRepository(text),
      githubTokenStatus: async () => this.preview.status(),
      setGithubToken: async (token) => {
        if (!this.keychainWorks) {
          throw err('keychainUnavailable', 'The Secret Service is not running, so the token cannot be stored.');
        }
        return this.preview.setToken(token);
      },
      forgetGithubToken: async () => this.preview.forgetToken(),
      previewCreate: async (input) => this.preview.create(input),
      previewRuns: async () => this.preview.runs(),
      previewWatch: async (jobId) => this.preview.watch(jobId),
      previewDismiss: async (jobId) => this.preview.dismiss(jobId),
      previewApps: async () => this.preview.list(),
      previewCleanup: async (input) => this.preview.cleanup(input),
    };

    const api = {} as Record<string, Mock>;
    for (const name of Object.keys(impl) as MethodName[]) {
      const fn = impl[name] as (...args: unknown[]) => Promise<unknown>;
      api[name] = vi.fn(async (...args: unknown[]) => {
        const hold = this.#holds.get(name);
        if (hold) await hold.promise;
        const queue = this.#failures.get(name);
        const failure = queue?.shift();
        if (failure) throw failure;
        try {
          return await fn(...args);
        } catch (e) {
          // The Api's contract, kept as lib/api.ts keeps it: anything else becomes `internal`.
          throw ApiError.from(e);
        }
      });
    }
    api.onMenuAction = vi.fn(async (cb: (a: MenuActionName) => void) => {
      this.#menuListeners.add(cb);
      return () => this.#menuListeners.delete(cb);
    });
    api.onCloseRequested = vi.fn(async (cb: () => Promise<boolean>) => {
      this.#closeListeners.add(cb);
      return () => this.#closeListeners.delete(cb);
    });
    api.onPreviewRunChanged = vi.fn(async (cb: (run: PreviewRun) => void) => {
      const off = this.preview.listen(cb);
      return () => void off();
    });
    this.api = api as unknown as FakeApi;
  }

  // ── Env: the project's variables in "Hasura Cloud", and the app's drafts ─────────────────────

  #nextHash(): string {
    return `hash-${++this.#hashes}`;
  }

  /** Sets a project's variables in Hasura Cloud (a new hash); drafts are not touched. */
  setEnv(tenantId: string, vars: Record<string, EnvValue>): this {
    this.#envs.set(tenantId, { hash: this.#nextHash(), vars: new Map(Object.entries(vars)) });
    return this;
  }

  /** Someone else edits the project (null removes a key): its hash moves, so the next apply conflicts. */
  changeRemote(tenantId: string, changes: Record<string, EnvValue | null>): void {
    const r = this.remote(tenantId);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) r.vars.delete(k);
      else r.vars.set(k, v);
    }
    r.hash = this.#nextHash();
  }

  /** The project's variables in Hasura Cloud, as text. */
  remoteEnv(tenantId: string): Record<string, string> {
    return Object.fromEntries([...this.remote(tenantId).vars].map(([k, v]) => [k, text(v)!]));
  }

  remoteHash(tenantId: string): string {
    return this.remote(tenantId).hash;
  }

  /** The next apply's removal step (deleteTenantEnv) fails with `error` after the update step. */
  failRemovals(error: ApiError): this {
    this.#removalFailure = error;
    return this;
  }

  /** From now on `envWatchHealth` sends one step per call of the returned function. */
  manualHealth(): () => void {
    const gate = { waiters: [] as (() => void)[], credits: 0 };
    this.#healthGate = gate;
    return () => {
      const next = gate.waiters.shift();
      if (next) next();
      else gate.credits++;
    };
  }

  #healthTurn(): Promise<void> {
    const gate = this.#healthGate;
    if (!gate) return Promise.resolve();
    if (gate.credits > 0) {
      gate.credits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => gate.waiters.push(resolve));
  }

  /** The person clicks the window's close button: resolves whether the window may close. */
  async requestClose(): Promise<boolean> {
    let allow = true;
    for (const cb of this.#closeListeners) allow = (await cb()) && allow;
    return allow;
  }

  remote(tenantId: string): RemoteEnv {
    let r = this.#envs.get(tenantId);
    if (!r) {
      if (!this.projects.some((p) => p.tenantId === tenantId)) throw err('notFound', 'No tenant with this id.');
      r = {
        hash: this.#nextHash(),
        vars: new Map<string, EnvValue>([['HASURA_GRAPHQL_ADMIN_SECRET', `admin-secret-${tenantId.slice(-4)}`]]),
      };
      this.#envs.set(tenantId, r);
    }
    return r;
  }

  draftFor(tenantId: string): FakeDraft {
    let d = this.#drafts.get(tenantId);
    if (!d) {
      const r = this.remote(tenantId);
      d = { baseHash: r.hash, base: new Map(r.vars), edits: new Map(), loadedAt: new Date().toISOString(), conflict: null, snapshots: [] };
      this.#drafts.set(tenantId, d);
    }
    return d;
  }

  /** Drops edits that change nothing: a set to the base value, a removal of an absent key. */
  normalize(d: FakeDraft): void {
    for (const [key, edit] of d.edits) {
      const base = text(d.base.get(key));
      if (edit.op === 'set' ? edit.value === base : base === null) d.edits.delete(key);
    }
  }

  /** base + staged edits, as text, sorted by key. */
  currentView(tenantId: string): Map<string, string> {
    const d = this.draftFor(tenantId);
    const view = new Map<string, string>();
    for (const [k, v] of d.base) view.set(k, text(v)!);
    for (const [k, e] of d.edits) {
      if (e.op === 'set') view.set(k, e.value);
      else view.delete(k);
    }
    return new Map([...view].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  changesOf(d: FakeDraft): EnvChange[] {
    const out: EnvChange[] = [];
    for (const [key, e] of d.edits) {
      const old = text(d.base.get(key));
      if (e.op === 'remove') out.push({ key, kind: 'removed', oldValue: old, newValue: null });
      else out.push({ key, kind: old === null ? 'added' : 'changed', oldValue: old, newValue: e.value });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  envView(tenantId: string): EnvDraft {
    const d = this.draftFor(tenantId);
    const changes = this.changesOf(d);
    return {
      tenantId,
      baseHash: d.baseHash,
      vars: [...d.base]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, v]) => {
          const value = text(v)!;
          return { key, value, isJson: typeof v !== 'string', secretLike: looksSecret(key, value), fingerprint: fingerprint(key, value) };
        }),
      changes,
      issues: changes.filter((c) => c.kind !== 'removed').flatMap((c) => issuesFor(c.key, c.newValue ?? '')),
      secretStaged: changes.filter((c) => c.newValue != null && looksSecret(c.key, c.newValue)).map((c) => c.key),
      loadedAt: d.loadedAt,
      snapshots: [...d.snapshots]
        .reverse()
        .map(({ id, takenAt, applied }) => ({ id, takenAt, applied: applied.map(({ key, kind }) => ({ key, kind })) })),
      conflict: d.conflict
        ? { theirHash: d.conflict.theirHash, conflicts: d.conflict.conflicts, mergedWithoutConflict: d.conflict.merged }
        : null,
    };
  }

  /** The app keeps the variables from before each apply (newest 20). */
  #snapshot(d: FakeDraft, applied: EnvChange[]): void {
    d.snapshots.push({ id: (d.snapshots.at(-1)?.id ?? 0) + 1, takenAt: new Date().toISOString(), vars: new Map(d.base), applied });
    if (d.snapshots.length > 20) d.snapshots.shift();
  }

  restore(tenantId: string, snapshotId: number): EnvDraft {
    const d = this.draftFor(tenantId);
    const snapshot = d.snapshots.find((s) => s.id === snapshotId);
    if (!snapshot) throw err('notFound', 'That snapshot is no longer kept.');
    d.edits = new Map();
    d.conflict = null;
    for (const [key, v] of snapshot.vars) d.edits.set(key, { op: 'set', value: text(v)! });
    for (const key of d.base.keys()) if (!snapshot.vars.has(key)) d.edits.set(key, { op: 'remove' });
    this.normalize(d);
    return this.envView(tenantId);
  }

  #conflictWith(d: FakeDraft, remote: RemoteEnv): PendingConflict {
    const conflicts: ConflictEntry[] = [];
    const merged: string[] = [];
    for (const [key, edit] of [...d.edits].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const base = text(d.base.get(key));
      const theirs = text(remote.vars.get(key));
      const mine = edit.op === 'set' ? edit.value : null;
      if (theirs === base || theirs === mine) merged.push(key);
      else conflicts.push({ key, base, theirs, mine });
    }
    return { theirHash: remote.hash, theirs: new Map(remote.vars), conflicts, merged };
  }

  apply(tenantId: string): ApplyOutcome {
    const d = this.draftFor(tenantId);
    if (d.conflict) throw err('invalidInput', 'Resolve the conflict first: nothing was sent.', { field: 'envs' });
    const view = this.envView(tenantId);
    if (view.issues.some((i) => i.severity === 'error')) {
      throw err('invalidInput', 'Fix the variables marked as errors before applying.', { field: 'envs' });
    }
    if (d.edits.size === 0) return { outcome: 'nothingChanged', draft: view };
    const remote = this.remote(tenantId);

    if (remote.hash !== d.baseHash) {
      d.conflict = this.#conflictWith(d, remote);
      const { conflicts, merged } = d.conflict;
      return { outcome: 'conflict', theirHash: remote.hash, conflicts, mergedWithoutConflict: merged, draft: this.envView(tenantId) };
    }

    const changes = view.changes;
    const sets = changes.filter((c) => c.kind !== 'removed');
    const removals = changes.filter((c) => c.kind === 'removed');
    if (sets.length > 0) {
      for (const c of sets) remote.vars.set(c.key, c.newValue ?? '');
      remote.hash = this.#nextHash();
    }
    if (removals.length > 0) {
      const failure = this.#removalFailure;
      this.#removalFailure = null;
      if (failure) {
        this.#snapshot(d, sets);
        d.base = new Map(remote.vars);
        d.baseHash = remote.hash;
        d.edits = new Map(removals.map((c) => [c.key, { op: 'remove' } as Edit]));
        if (sets.length === 0) throw failure;
        const error = { kind: failure.kind, message: failure.message, code: failure.code, requestId: failure.requestId } as AppError;
        return { outcome: 'partial', applied: sets, notApplied: removals, error, hash: remote.hash, draft: this.envView(tenantId) };
      }
      for (const c of removals) remote.vars.delete(c.key);
      remote.hash = this.#nextHash();
    }
    this.#snapshot(d, changes);
    d.base = new Map(remote.vars);
    d.baseHash = remote.hash;
    d.edits = new Map();
    d.conflict = null;
    d.loadedAt = new Date().toISOString();
    const undoSnapshot = d.snapshots.at(-1)!.id;
    return { outcome: 'applied', hash: remote.hash, changes, undoSnapshot, confirmedAfterLostAnswer: false, draft: this.envView(tenantId) };
  }

  fieldProblem(check: FieldCheck): string | null {
    return this.fieldProblems[check.rule]?.(check.text) ?? null;
  }

  envRowProblems(rows: EnvPair[]): (string | null)[] {
    return this.envRowCheck?.(rows) ?? rows.map(() => null);
  }

  suggestName(branch: string, repository: string): string {
    return this.suggestedName?.(branch, repository) ?? (branch || 'preview-app');
  }

  snapshot(): AppSnapshot {
    return { profiles: structuredClone(this.profiles), activeProfileId: this.activeProfileId };
  }

  details(row: ProjectRow): ProjectDetails {
    return {
      project: { ...row },
      consoleUrl: `https://cloud.hasura.io/project/${row.id}/console`,
      dashboardUrl: `https://cloud.hasura.io/project/${row.id}/details`,
      graphqlUrl: `${row.endpoint}/v1/graphql`,
    };
  }

  tenant(row: ProjectRow): TenantInfo {
    return {
      tenantId: row.tenantId ?? '',
      slug: row.slug ?? '',
      cloud: row.cloud ?? '',
      region: row.region ?? '',
      projectId: row.id,
      projectName: row.name,
      endpoint: row.endpoint,
    };
  }

  /** The next `times` calls of `method` throw `error`. */
  fail(method: MethodName, error: ApiError, times = 1): this {
    const queue = this.#failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(error);
    this.#failures.set(method, queue);
    return this;
  }

  /** Calls of `method` wait until the returned function is called. */
  hold(method: MethodName): () => void {
    const d = deferred();
    this.#holds.set(method, d);
    return () => {
      this.#holds.delete(method);
      d.release();
    };
  }

  /** Sends a native-menu action to the UI. */
  menu(action: MenuActionName): void {
    for (const cb of this.#menuListeners) cb(action);
  }
}

export function createFake(opts: FakeOptions = {}): FakeBackend {
  return new FakeBackend(opts);
}
