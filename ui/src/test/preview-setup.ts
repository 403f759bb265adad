// Shared set-up for the preview-app tests: the whole app on a fake backend, opened on the
// "Preview apps" section through its navigation button.
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { createAppContext } from '../lib/context';
import type { PreviewView } from '../lib/nav.svelte';
import { cloudProfile, createFake, type FakeBackend } from './fake-api';

/** A pasted GitHub URL that names a branch and a folder. */
export const TREE_URL = 'https://github.com/acme/shop/tree/feature-login/apps/hasura';

export function previewFake(opts: { tokenStored?: boolean } = {}): FakeBackend {
  const fake = createFake({ profiles: [cloudProfile()] });
  if (opts.tokenStored ?? true) fake.preview.tokens.add('p-work');
  // Rust's answers for the repository texts these tests type.
  fake.preview.repositories.set('acme/shop', { owner: 'acme', repo: 'shop', branch: null, directory: null });
  fake.preview.repositories.set(TREE_URL, { owner: 'acme', repo: 'shop', branch: 'feature-login', directory: 'apps/hasura' });
  return fake;
}

export async function renderPreviews(fake: FakeBackend, view: PreviewView = 'list', runId?: string) {
  const ctx = createAppContext(fake.api);
  const user = userEvent.setup();
  const result = render(App, { props: { api: fake.api, context: ctx } });
  await user.click(await screen.findByTestId('nav-previews'));
  await screen.findByTestId('previews-screen');
  if (view !== 'list') ctx.nav.go({ name: 'previews', view, runId });
  return { ctx, user, result };
}

/** Fills step 1 with a repository (and optionally branch/folder) and goes on to step 2. */
export async function fillStep1(
  user: ReturnType<typeof userEvent.setup>,
  { repository = 'acme/shop', branch, directory }: { repository?: string; branch?: string; directory?: string } = {},
) {
  await user.type(await screen.findByTestId('pw-repository'), repository);
  if (branch !== undefined) {
    await user.clear(screen.getByTestId('pw-branch'));
    await user.type(screen.getByTestId('pw-branch'), branch);
  }
  if (directory !== undefined) {
    await user.clear(screen.getByTestId('pw-directory'));
    if (directory) await user.type(screen.getByTestId('pw-directory'), directory);
  }
  await screen.findByTestId('github-token-saved');
  await user.click(screen.getByTestId('pw-next'));
  await screen.findByTestId('pw-name');
}

export function step(): string | undefined {
  return screen.getByTestId('pw-form').dataset.step;
}
