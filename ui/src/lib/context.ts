// How components reach the api and shared state: one object in Svelte context.
import { getContext, setContext } from 'svelte';
import type { Api } from './types';
import { Session } from './session.svelte';
import { ProjectsStore } from './projects.svelte';
import { Nav } from './nav.svelte';
import { StatusLog } from './status.svelte';
import { Updates } from './updates.svelte';
import { FormRulesStore } from './checks.svelte';

export interface AppContext {
  api: Api;
  session: Session;
  projects: ProjectsStore;
  nav: Nav;
  status: StatusLog;
  updates: Updates;
  /** The clouds, plans and default endpoint the forms offer (from Rust). */
  rules: FormRulesStore;
}

export const APP_CONTEXT = Symbol('hasura-cloud-desktop');

export function createAppContext(api: Api): AppContext {
  const session = new Session(api);
  const projects = new ProjectsStore(api);
  const nav = new Nav();
  const status = new StatusLog();
  const updates = new Updates(api);
  const rules = new FormRulesStore(api);
  session.onActiveChange = (profile, first) => {
    // The page's first list is asked for beside its first snapshot (App's start), so it is the
    // list of the profile that snapshot names: kept. Any later change starts afresh.
    if (!(first && profile)) projects.reset();
    nav.switcherOpen = false;
    nav.go(profile ? { name: 'projects' } : { name: 'welcome' });
  };
  return { api, session, projects, nav, status, updates, rules };
}

export function setAppContext(ctx: AppContext): AppContext {
  return setContext(APP_CONTEXT, ctx);
}

export function getAppContext(): AppContext {
  const ctx = getContext<AppContext | undefined>(APP_CONTEXT);
  if (!ctx) throw new Error('App context missing: render inside <App> or pass it in tests.');
  return ctx;
}
