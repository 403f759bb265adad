// Session state: the profiles and which one is active, as last reported by the app.
import { asApiError, type ApiError, type Api, type AppSnapshot, type Profile, type SignIn } from './types';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export class Session {
  snapshot = $state.raw<AppSnapshot | null>(null);
  status = $state<LoadStatus>('idle');
  error = $state.raw<ApiError | null>(null);

  /**
   * Called when the signed-in active profile changes (another profile, signed out, or in);
   * `first` when it is the page's first snapshot.
   */
  onActiveChange: ((profile: Profile | null, first: boolean) => void) | null = null;

  #api: Api;
  #activeKey: string | null = null;
  #applied = false;

  constructor(api: Api) {
    this.#api = api;
  }

  get profiles(): Profile[] {
    return this.snapshot?.profiles ?? [];
  }

  get active(): Profile | null {
    const snap = this.snapshot;
    if (!snap?.activeProfileId) return null;
    return snap.profiles.find((p) => p.id === snap.activeProfileId) ?? null;
  }

  /** True when the active profile has a usable token. */
  get signedIn(): boolean {
    return this.active?.signedIn === true;
  }

  get isSandbox(): boolean {
    return this.active?.kind === 'sandbox';
  }

  profile(id: string | null | undefined): Profile | null {
    if (!id) return null;
    return this.profiles.find((p) => p.id === id) ?? null;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      this.apply(await this.#api.getState());
      this.status = 'ready';
    } catch (e) {
      this.error = asApiError(e);
      this.status = 'error';
    }
  }

  /** Takes a snapshot from any command that returns one. */
  apply(snapshot: AppSnapshot): void {
    this.snapshot = snapshot;
    this.status = 'ready';
    this.error = null;
    const active = this.signedIn ? this.active : null;
    const key = active ? active.id : null;
    const first = !this.#applied;
    this.#applied = true;
    if (key !== this.#activeKey) {
      this.#activeKey = key;
      this.onActiveChange?.(active, first);
    }
  }

  async #run(request: () => Promise<AppSnapshot>): Promise<AppSnapshot> {
    const snap = await request();
    this.apply(snap);
    return snap;
  }

  switchTo(id: string): Promise<AppSnapshot> {
    return this.#run(() => this.#api.switchProfile(id));
  }

  /** Whether the active profile has this project marked as production. */
  isProduction(projectId: string | null | undefined): boolean {
    return !!projectId && (this.active?.productionProjects ?? []).includes(projectId);
  }

  setProduction(projectId: string, production: boolean): Promise<AppSnapshot> {
    return this.#run(() => this.#api.setProduction(projectId, production));
  }

  signOut(profileId: string): Promise<AppSnapshot> {
    return this.#run(() => this.#api.signOut(profileId));
  }

  deleteProfile(id: string): Promise<AppSnapshot> {
    return this.#run(() => this.#api.deleteProfile(id));
  }

  openSandbox(): Promise<AppSnapshot> {
    return this.#run(() => this.#api.openSandbox());
  }

  /**
   * Signs in in one step (the profile is saved, its token kept, and it becomes the active one);
   * returns the signed-in profile's id.
   */
  async signIn(input: SignIn): Promise<string> {
    const done = await this.#api.signIn(input);
    this.apply(done.state);
    return done.profileId;
  }
}
