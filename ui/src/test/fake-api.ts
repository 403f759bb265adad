// A configurable, in-memory fake of the `Api` for component tests. It keeps simple bookkeeping
// (profiles, sign-in, projects, regions) and answers what the test scripts where Rust decides
// (env drafts: `fake.env`; form checks: `fieldProblems`…); a test can make any call fail, or hold
// it pending to see a loading state. Every method is a `vi.fn`, so calls can be asserted, and,
// like lib/api.ts, rejects with an ApiError only.
import { vi, type Mock } from 'vitest';
import {
  ApiError,
  type About,
  type Api,
  type AppError,
  type ErrorKind,
  type AppSnapshot,
  type EnvPair,
  type EnvRowsCheck,
  type FieldCheck,
  type FleetRun,
  type FormRules,
  type HealthProgress,
  type LinkTargets,
  type MenuActionName,
  type Preferences,
  type ProblemReport,
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
import { FakeEnv } from './fake-env';
import { FakeFleet } from './fake-fleet';
import { FakeDomains } from './fake-domains';
import { FakeTeam } from './fake-team';
export { type EnvValue } from './env-draft';

type Methods = Omit<Api, 'onMenuAction' | 'onCloseRequested' | 'onPreviewRunChanged' | 'onFleetRunChanged' | 'onLinkReceived'>;
export type MethodName = keyof Methods;

export type FakeApi = {
  [K in MethodName]: Mock<Methods[K]>;
} & {
  onMenuAction: Mock<Api['onMenuAction']>;
  onCloseRequested: Mock<Api['onCloseRequested']>;
  onPreviewRunChanged: Mock<Api['onPreviewRunChanged']>;
  onFleetRunChanged: Mock<Api['onFleetRunChanged']>;
  onLinkReceived: Mock<Api['onLinkReceived']>;
};

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
    { cloud: 'aws', name: 'us-east-2', natIp: '203.0.113.11' },
    { cloud: 'aws', name: 'us-west-1', natIp: '203.0.113.12' },
    { cloud: 'aws', name: 'eu-central-1', natIp: '203.0.113.17' },
    { cloud: 'gcp', name: 'us-central1', natIp: '198.51.100.10' },
    { cloud: 'gcp', name: 'europe-west1', natIp: '198.51.100.13' },
    { cloud: 'azure', name: 'eastus', natIp: null },
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
  /** GitHub preview apps: token status, scripted repositories, runs (`preview.step()`), list, cleanup. */
  readonly preview: FakePreview = new FakePreview(this);
  /** Env drafts: what envLoad answers, and the scripted answers of the other env calls. */
  readonly env: FakeEnv = new FakeEnv((tenantId) => this.projects.some((p) => p.tenantId === tenantId));
  readonly fleet: FakeFleet = new FakeFleet(() => this.projects);
  readonly domains = new FakeDomains();
  readonly team = new FakeTeam();

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
    projectNameRule: 'The project-name rule, as Rust says it.',
    previewNameRule: 'The preview-name rule, as Rust says it.',
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
  /** The errors the UI said it showed (`noteError`), oldest first. */
  notedErrors: { kind: string; message: string }[] = [];
  /** What `problemReport` answers. */
  report: ProblemReport = {
    text: 'Hasura Cloud Desktop problem report\nApp version: 0.1.0\n',
    fileName: 'hasura-cloud-desktop-report-2026-01-02-030405.txt',
  };
  /** Where `problemReportSave` says it saved (null: the person cancelled). */
  reportSavedTo: string | null = '/home/me/report.txt';
  /** How often `showLogs` opened the log folder. */
  logsShown = 0;
  /** What `about` answers. */
  about: About = {
    version: '0.1.0',
    commit: '0123456789ab',
    buildDate: '2026-01-02',
    tauriVersion: '2.12.5',
    webview: 'WebKitGTK 2.48.1',
    licenses: {
      packages: [
        { ecosystem: 'crate', name: 'serde', version: '1.0.228', license: 'MIT OR Apache-2.0' },
        { ecosystem: 'npm', name: 'svelte', version: '5.57.3', license: 'MIT' },
      ],
      texts: [{ license: 'MIT', text: 'Permission is hereby granted, free of charge…', usedBy: ['serde 1.0.228', 'svelte 5.57.3'] }],
    },
  };
  /** What `takeLink` answers next (Rust's reading of a link the OS handed over), then null. */
  pendingLink: LinkTargets | ApiError | null = null;
  /** The version `updateInstall` installed. */
  installedUpdate: string | null = null;

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
  #linkListeners = new Set<() => void>();
  #nextProfile = 1;
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
        // Rust checks the typed name; a test scripts its refusal with `fail`.
        this.projects = this.projects.filter((r) => r !== row);
      },
      openExternal: async () => {},
      checkField: async (check) => this.fieldProblem(check),
      checkEnvRows: async (rows) => this.envRowProblems(rows),
      suggestPreviewName: async (branch, repository) => this.suggestName(branch, repository),
      formRules: async () => structuredClone(this.formRules),

      envLoad: async (tenantId) => this.env.answer('envLoad', [tenantId], () => this.env.draft(tenantId)),
      envReload: async (tenantId) => this.env.answer('envReload', [tenantId], () => this.env.draft(tenantId)),
      envStage: async (tenantId, edits) => this.env.answer('envStage', [tenantId, edits], () => this.env.draft(tenantId)),
      envUnstage: async (tenantId, keys) => this.env.answer('envUnstage', [tenantId, keys], () => this.env.draft(tenantId)),
      envDiscard: async (tenantId) => this.env.answer('envDiscard', [tenantId], () => this.env.draft(tenantId)),
      envRestore: async (tenantId, id) => this.env.answer('envRestore', [tenantId, id], () => this.env.draft(tenantId)),
      envApply: async (tenantId, confirmName) =>
        this.env.answer('envApply', [tenantId, confirmName], () => ({ outcome: 'nothingChanged', draft: this.env.draft(tenantId) })),
      envResolve: async (tenantId, resolutions) =>
        this.env.answer('envResolve', [tenantId, resolutions], () => this.env.draft(tenantId)),
      pasteEnvRows: async (rows, text) => this.env.answer('pasteEnvRows', [rows, text], () => ({ rows, added: 0, text, errors: [] })),
      envImportPreview: async (tenantId, text) =>
        this.env.answer('envImportPreview', [tenantId, text], () => ({ added: [], overwritten: [], unchanged: [], errors: [], issues: [] })),
      envImportStage: async (tenantId, text) => this.env.answer('envImportStage', [tenantId, text], () => this.env.draft(tenantId)),
      envExport: async (tenantId) => this.env.answer('envExport', [tenantId], () => this.env.exportPath),
      envCompare: async (left, right) =>
        this.env.answer('envCompare', [left, right], () => ({ leftTenantId: left, rightTenantId: right, rows: [] })),
      envCopy: async (from, to, keys) => this.env.answer('envCopy', [from, to, keys], () => this.env.draft(to)),
      envWatchHealth: async (_tenantId, onProgress) => {
        const steps = this.healthSteps;
        for (let i = 0; i < steps.length; i++) {
          if (i > 0) await this.#healthTurn();
          onProgress(structuredClone(steps[i]!));
        }
        return structuredClone(steps[steps.length - 1]!);
      },
      envUnsaved: async () => this.env.answer('envUnsaved', [], () => this.env.unsaved()),
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
        this.preferences = { ...this.preferences, ...preferences };
        return structuredClone(this.preferences);
      },
      updateCheck: async () => structuredClone(this.update),
      updateInstall: async (onProgress) => {
        if (!this.update) throw err('notFound', 'There is no update to install. Check for updates first.');
        for (const progress of this.updateSteps) onProgress(structuredClone(progress));
        this.installedUpdate = this.update.version;
      },

      noteError: async (kind, message) => {
        this.notedErrors.push({ kind, message });
      },
      problemReport: async () => structuredClone(this.report),
      problemReportSave: async () => this.reportSavedTo,
      showLogs: async () => {
        this.logsShown++;
      },
      about: async () => structuredClone(this.about),
      takeLink: async () => {
        const link = this.pendingLink;
        this.pendingLink = null;
        if (link instanceof ApiError) throw link;
        return structuredClone(link);
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
      customDomains: async () => this.domains.view(),
      addCustomDomain: async (_tenantId, fqdn) => this.domains.add(fqdn),
      deleteCustomDomain: async (_tenantId, id) => this.domains.remove(id),
      watchCustomDomain: async (_tenantId, id) => this.domains.watch(id),
      stopDomainWatches: async () => this.domains.stopWatches(),
      planChoices: async () => this.domains.choices(),
      changePlan: async (input) => this.domains.change(input),
      projectTeam: async () => this.team.view(),
      inviteCollaborator: async (input) => this.team.invite(input.email, input.privileges),
      resendInvitation: async (_tenantId, email) => this.team.resend(email),
      revokeInvitation: async (_tenantId, id, email) => this.team.revoke(id, email),
      changeCollaboratorPrivileges: async (_tenantId, id, choice) => this.team.change(id, choice),
      removeCollaborator: async (_tenantId, id) => this.team.remove(id),
      fleetSelect: async (rule) => this.fleet.select(rule),
      fleetPreview: async (tenantIds, changes) => this.fleet.preview(tenantIds, changes),
      fleetStart: async (start) => this.fleet.start(start),
      fleetControl: async (id, control) => this.fleet.control(id, control),
      fleetRuns: async () => this.fleet.list(),
      fleetUndo: async (id) => this.fleet.undo(id),
      fleetFindUsage: async (_tenantId, _key, onProgress) => {
        if (!this.fleet.usage) throw err('notFound', 'That variable is not set in this project.');
        return this.fleet.find(onProgress);
      },
      fleetUsageCancel: async () => this.fleet.cancelFind(),
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
    api.onLinkReceived = vi.fn(async (cb: () => void) => {
      this.#linkListeners.add(cb);
      return () => this.#linkListeners.delete(cb);
    });
    api.onPreviewRunChanged = vi.fn(async (cb: (run: PreviewRun) => void) => {
      const off = this.preview.listen(cb);
      return () => void off();
    });
    api.onFleetRunChanged = vi.fn(async (cb: (run: FleetRun) => void) => this.fleet.listen(cb));
    this.api = api as unknown as FakeApi;
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

  fieldProblem(check: FieldCheck): string | null {
    return this.fieldProblems[check.rule]?.(check.text) ?? null;
  }

  envRowProblems(rows: EnvPair[]): EnvRowsCheck {
    return {
      problems: this.envRowCheck?.(rows) ?? rows.map(() => null),
      // As Rust's checks::is_blank_row.
      blank: rows.map((r) => r.key.trim() === '' && r.value === ''),
    };
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
      appLink: `hasura-cloud-desktop://project/${row.id}`,
      envAppLink: `hasura-cloud-desktop://project/${row.id}/env`,
      // The project's region's, as the app reads it through the tenant.
      natIp: this.regions.regions.find((r) => r.cloud === row.cloud && r.name === row.region)?.natIp ?? null,
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

  /** The OS hands the app a link: Rust reads it as `targets` (or refuses it) and tells the UI. */
  link(targets: LinkTargets | ApiError): void {
    this.pendingLink = targets;
    for (const cb of this.#linkListeners) cb();
  }

  /** Sends a native-menu action to the UI. */
  menu(action: MenuActionName): void {
    for (const cb of this.#menuListeners) cb(action);
  }
}

export function createFake(opts: FakeOptions = {}): FakeBackend {
  return new FakeBackend(opts);
}
