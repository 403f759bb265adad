// A configurable, in-memory fake of the `Api` for component tests. It behaves like the app
// (profiles, sign-in, projects, regions) and lets a test make any call fail, or hold it pending
// to see a loading state. Every method is a `vi.fn`, so calls can be asserted.
import { vi, type Mock } from 'vitest';
import {
  ApiError,
  type Api,
  type AppErrorData,
  type AppSnapshot,
  type MenuActionName,
  type Profile,
  type ProjectDetails,
  type ProjectRow,
  type RegionChoices,
  type TenantInfo,
} from '../lib/types';

type Methods = Omit<Api, 'onMenuAction'>;
export type MethodName = keyof Methods;

export type FakeApi = {
  [K in MethodName]: Mock<Methods[K]>;
} & { onMenuAction: Mock<Api['onMenuAction']> };

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

export function err(kind: AppErrorData['kind'], message: string, details: Partial<AppErrorData> = {}): ApiError {
  return new ApiError({ kind, message, ...details });
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

  #failures = new Map<MethodName, ApiError[]>();
  #holds = new Map<MethodName, Deferred>();
  #menuListeners = new Set<(a: MenuActionName) => void>();
  #nextProfile = 1;

  constructor(opts: FakeOptions = {}) {
    this.profiles = opts.profiles ? structuredClone(opts.profiles) : [];
    this.activeProfileId = opts.activeProfileId !== undefined ? opts.activeProfileId : (this.profiles[0]?.id ?? null);
    this.projects = opts.projects ? [...opts.projects] : [];
    this.regions = opts.regions ?? DEFAULT_REGIONS;

    const impl: Methods = {
      getState: async () => this.snapshot(),
      saveProfile: async (input) => {
        if (input.id) {
          const p = this.profiles.find((x) => x.id === input.id);
          if (!p) throw err('notFound', 'That profile no longer exists.');
          Object.assign(p, { name: input.name, color: input.color, endpoint: input.endpoint });
        } else {
          this.profiles.push({
            id: `p-new-${this.#nextProfile++}`,
            name: input.name,
            color: input.color,
            endpoint: input.endpoint,
            kind: 'cloud',
            signedIn: false,
            tokenStorage: null,
          });
        }
        return this.snapshot();
      },
      deleteProfile: async (id) => {
        this.profiles = this.profiles.filter((p) => p.id !== id);
        if (this.activeProfileId === id) this.activeProfileId = this.profiles[0]?.id ?? null;
        return this.snapshot();
      },
      switchProfile: async (id) => {
        if (!this.profiles.some((p) => p.id === id)) throw err('notFound', 'That profile no longer exists.');
        this.activeProfileId = id;
        return this.snapshot();
      },
      signIn: async (input) => {
        const p = this.profiles.find((x) => x.id === input.profileId);
        if (!p) throw err('notFound', 'That profile no longer exists.');
        if (!this.validTokens.has(input.token)) {
          throw err('tokenRejected', 'Hasura Cloud rejected this token. It may have been deleted.');
        }
        if (input.remember && !this.keychainWorks) {
          throw err('keychainUnavailable', 'The Secret Service is not running, so the token cannot be stored.');
        }
        p.signedIn = true;
        p.tokenStorage = input.remember ? 'keychain' : 'session';
        this.activeProfileId = p.id;
        return this.snapshot();
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
        return fn(...args);
      });
    }
    api.onMenuAction = vi.fn(async (cb: (a: MenuActionName) => void) => {
      this.#menuListeners.add(cb);
      return () => this.#menuListeners.delete(cb);
    });
    this.api = api as unknown as FakeApi;
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
