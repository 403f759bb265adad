// Opening a `hasura-cloud-desktop://` link the app was handed. Rust reads the link and says
// which signed-in profiles can see what it names; here the UI opens it in the only one, asks
// when several can, and says so when none can or the link was refused.
import type { Nav } from './nav.svelte';
import type { Session } from './session.svelte';
import { asApiError, type Api, type LinkTargets } from './types';

/** What the link dialog shows: a choice of profiles, or why the link did not open. */
export type LinkPrompt =
  | { kind: 'choose'; targets: LinkTargets }
  | { kind: 'refused'; title: string; message: string };

export class LinkOpener {
  prompt = $state.raw<LinkPrompt | null>(null);

  #api: Api;
  #session: Session;
  #nav: Nav;

  constructor(api: Api, session: Session, nav: Nav) {
    this.#api = api;
    this.#session = session;
    this.#nav = nav;
  }

  /** Takes the link waiting in the app, if any, and opens it. */
  async take(): Promise<void> {
    let targets: LinkTargets | null;
    try {
      targets = await this.#api.takeLink();
    } catch (e) {
      this.prompt = { kind: 'refused', title: 'This link cannot be opened', message: asApiError(e).message };
      return;
    }
    if (!targets) return;
    const [only, ...others] = targets.profileIds;
    if (!only) {
      this.prompt = {
        kind: 'refused',
        title: 'No profile can open this link',
        message: targets.message ?? 'None of your signed-in profiles can see what this link opens.',
      };
    } else if (others.length === 0) {
      await this.open(targets, only);
    } else {
      this.prompt = { kind: 'choose', targets };
    }
  }

  /** Opens the link in `profileId`, switching to it first. */
  async open(targets: LinkTargets, profileId: string): Promise<void> {
    this.prompt = null;
    try {
      if (this.#session.active?.id !== profileId) await this.#session.switchTo(profileId);
      // A timeline shows the runs the app follows: follow this one first.
      if (targets.link.kind === 'preview') await this.#api.previewWatch(targets.link.jobId);
    } catch (e) {
      this.prompt = { kind: 'refused', title: 'This link cannot be opened', message: asApiError(e).message };
      return;
    }
    this.#nav.go(targets.location);
  }

  dismiss(): void {
    this.prompt = null;
  }
}
