// In-memory navigation: which screen is shown, plus a few cross-screen requests.

// The screens are Rust's `Location` (it keeps the last one for a renderer restart).
import type { Route } from './types';

export type { PreviewView, ProjectTab, Route } from './types';

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
