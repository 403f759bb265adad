// In-memory navigation: which screen is shown, plus a few cross-screen requests.

/** The tabs of a project's screen. */
export type ProjectTab = 'overview' | 'env';

/** The views of the preview-apps section: the list (and this session's runs), the wizard, one run. */
export type PreviewView = 'list' | 'new' | 'run';

export type Route =
  | { name: 'welcome' }
  | { name: 'signIn'; profileId: string | null }
  | { name: 'projects' }
  | { name: 'project'; projectId: string; tab?: ProjectTab }
  | { name: 'create' }
  | { name: 'lookUp' }
  | { name: 'previews'; view?: PreviewView; runId?: string }
  | { name: 'activity' };

export class Nav {
  route = $state.raw<Route>({ name: 'projects' });
  /** Incremented to ask the projects screen to focus its search box. */
  searchFocusRequest = $state(0);
  /** Whether the profile switcher is open. */
  switcherOpen = $state(false);
  /** Whether the "Go to" palette is open. */
  paletteOpen = $state(false);

  go(route: Route): void {
    this.route = route;
  }

  focusSearch(): void {
    if (this.route.name !== 'projects') this.route = { name: 'projects' };
    this.searchFocusRequest++;
  }
}
