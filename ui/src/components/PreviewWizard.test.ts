import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err } from '../test/fake-api';
import { fillStep1, previewFake, renderPreviews, step } from '../test/preview-setup';

const TOKEN = 'github_pat_TESTONLY_0123456789abcdef';

describe('Preview apps navigation', () => {
  it('is a button in the main navigation, reachable and usable from the keyboard', async () => {
    const fake = previewFake();
    const { user, ctx } = await renderPreviews(fake);
    ctx.nav.go({ name: 'projects' });
    const nav = await screen.findByTestId('nav-previews');
    expect(nav.tagName).toBe('BUTTON');
    nav.focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('previews-screen')).toBeInTheDocument();
    expect(nav).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByTestId('pw-new'));
    expect(await screen.findByTestId('preview-wizard')).toBeInTheDocument();
    expect(nav).toHaveAttribute('aria-current', 'page');
  });
});

describe('PreviewWizard', () => {
  it('a pasted tree URL fills the branch and folder', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await user.click(screen.getByTestId('pw-repository'));
    await user.paste('https://github.com/acme/shop/tree/feature-login/apps/hasura');
    expect(await screen.findByTestId('pw-repository-filled')).toBeInTheDocument();
    expect(screen.getByTestId('pw-repository-parsed')).toHaveTextContent('acme/shop');
    expect(screen.getByTestId('pw-branch')).toHaveValue('feature-login');
    expect(screen.getByTestId('pw-directory')).toHaveValue('apps/hasura');
    expect(fake.api.parseRepository).toHaveBeenCalledWith('https://github.com/acme/shop/tree/feature-login/apps/hasura');
  });

  it('an unreadable repository text gets the app’s message after leaving the field, and Next stays on step 1', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await user.type(screen.getByTestId('pw-repository'), 'not a repo');
    expect(screen.queryByTestId('pw-repository-error')).not.toBeInTheDocument(); // not while typing
    await user.tab();
    expect(await screen.findByTestId('pw-repository-error')).toHaveTextContent('owner/repo');
    await user.click(screen.getByTestId('pw-next'));
    expect(step()).toBe('1');
    expect(screen.getByTestId('pw-repository')).toHaveAttribute('aria-invalid', 'true');
  });

  it("step 1 requires a repository, and shows Rust's answers for the branch and folder", async () => {
    const fake = previewFake();
    // Scripted answers; the rules are Rust's (app_core::preview::input).
    fake.fieldProblems.branch = (text) => (text.trim() === '' ? 'Which branch should the preview app be built from?' : null);
    fake.fieldProblems.directory = (text) =>
      text === '/abs' ? 'Give the folder relative to the repository root, without a leading / (e.g. hasura).' : null;
    const { user } = await renderPreviews(fake, 'new');
    await screen.findByTestId('github-token-saved');
    await user.clear(screen.getByTestId('pw-branch'));
    await user.click(screen.getByTestId('pw-next'));
    expect(step()).toBe('1');
    expect(screen.getByTestId('pw-repository-error')).toHaveTextContent('Enter the GitHub repository');
    expect(screen.getByTestId('pw-branch-error')).toHaveTextContent('Which branch');
    expect(screen.getByTestId('pw-repository')).toHaveFocus();
    await user.type(screen.getByTestId('pw-directory'), '/abs');
    expect(await screen.findByTestId('pw-directory-error')).toHaveTextContent('without a leading');
    expect(fake.api.checkField).toHaveBeenLastCalledWith({ rule: 'directory', text: '/abs' });
  });

  it("suggests the name Rust makes from the branch, and shows Rust's answer for the name as typed", async () => {
    const fake = previewFake();
    // Scripted answers; the rules are Rust's (app_core::preview::input).
    fake.suggestedName = (branch, repository) => (branch === 'feature/Login_Page' ? 'feature-login-page' : `${repository}-${branch}`);
    fake.fieldProblems.previewName = (text) =>
      ({ My: 'This name has characters that are not allowed.', '9lives': 'This name does not start with a letter.', 'ab-': 'This name ends with a hyphen.' })[text] ?? null;
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user, { branch: 'feature/Login_Page' });
    const name = screen.getByTestId('pw-name');
    expect(name).toHaveValue('feature-login-page');
    expect(fake.api.suggestPreviewName).toHaveBeenLastCalledWith('feature/Login_Page', expect.any(String));
    expect(screen.queryByTestId('pw-name-error')).not.toBeInTheDocument();

    await user.clear(name);
    await user.type(name, 'My');
    expect(await screen.findByTestId('pw-name-error')).toHaveTextContent('not allowed');
    await user.clear(name);
    await user.type(name, '9lives');
    await waitFor(() => expect(screen.getByTestId('pw-name-error')).toHaveTextContent('start with a letter'));
    await user.clear(name);
    await user.type(name, 'ab-');
    await waitFor(() => expect(screen.getByTestId('pw-name-error')).toHaveTextContent('ends with a hyphen'));
    await user.click(screen.getByTestId('pw-next'));
    expect(step()).toBe('2');
    await user.type(name, 'x');
    await waitFor(() => expect(screen.queryByTestId('pw-name-error')).not.toBeInTheDocument());

    // The suggestion is one click away.
    await user.click(screen.getByTestId('pw-name-suggestion'));
    expect(name).toHaveValue('feature-login-page');
  });

  it('Back and Next keep everything typed, in every step', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user, { repository: 'acme/shop', branch: 'pr-7', directory: 'hasura' });
    await user.clear(screen.getByTestId('pw-name'));
    await user.type(screen.getByTestId('pw-name'), 'shop-pr-7');
    await user.click(screen.getByTestId('pw-cloud-gcp'));
    await waitFor(() => expect(screen.getByTestId('pw-region')).toHaveValue('us-central1'));
    await user.selectOptions(screen.getByTestId('pw-plan'), 'cloud_payg');
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-env-add'));
    await user.type(screen.getAllByTestId('pw-env-key')[0]!, 'API_KEY');
    await user.type(screen.getAllByTestId('pw-env-value')[0]!, 's3cret');

    await user.click(screen.getByTestId('pw-back'));
    await user.click(screen.getByTestId('pw-back'));
    expect(step()).toBe('1');
    expect(screen.getByTestId('pw-repository')).toHaveValue('acme/shop');
    expect(screen.getByTestId('pw-branch')).toHaveValue('pr-7');
    expect(screen.getByTestId('pw-directory')).toHaveValue('hasura');
    await user.click(screen.getByTestId('pw-next'));
    expect(await screen.findByTestId('pw-name')).toHaveValue('shop-pr-7');
    expect(screen.getByTestId('pw-cloud-gcp')).toBeChecked();
    expect(screen.getByTestId('pw-region')).toHaveValue('us-central1');
    expect(screen.getByTestId('pw-plan')).toHaveValue('cloud_payg');
    await user.click(screen.getByTestId('pw-next'));
    expect(screen.getAllByTestId('pw-env-key')[0]).toHaveValue('API_KEY');
    expect(screen.getAllByTestId('pw-env-value')[0]).toHaveValue('s3cret');
    await user.click(screen.getByTestId('pw-next'));

    // The review shows it all (env values are not shown), and the step list jumps back.
    expect(screen.getByTestId('pw-review-repository')).toHaveTextContent('acme/shop');
    expect(screen.getByTestId('pw-review-branch')).toHaveTextContent('pr-7');
    expect(screen.getByTestId('pw-review-directory')).toHaveTextContent('hasura');
    expect(screen.getByTestId('pw-review-name')).toHaveTextContent('shop-pr-7');
    expect(screen.getByTestId('pw-review-where')).toHaveTextContent('us-central1 · Google Cloud · Professional');
    expect(screen.getByTestId('pw-review-envs')).toHaveTextContent('1 variable: API_KEY');
    expect(screen.getByTestId('pw-review')).not.toHaveTextContent('s3cret');
    await user.click(within(screen.getByTestId('pw-step-1')).getByRole('button'));
    expect(step()).toBe('1');
    expect(screen.getByTestId('pw-repository')).toHaveValue('acme/shop');

    // Leaving the section and coming back keeps the draft too.
    await user.click(screen.getByTestId('nav-projects'));
    await user.click(screen.getByTestId('nav-previews'));
    await user.click(await screen.findByTestId('pw-new'));
    expect(await screen.findByTestId('pw-repository')).toHaveValue('acme/shop');
  });

  it('a step shown again is as it was left: the parsed repository (not asked again), the token, the paste', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await user.click(await screen.findByTestId('pw-repository'));
    await user.paste('https://github.com/acme/shop/tree/feature-login/apps/hasura');
    expect(await screen.findByTestId('pw-repository-filled')).toBeInTheDocument();
    await screen.findByTestId('github-token-saved');
    await user.click(screen.getByTestId('pw-next'));
    await screen.findByTestId('pw-name');
    const parses = fake.api.parseRepository.mock.calls.length;
    await user.click(screen.getByTestId('pw-back'));
    expect(screen.getByTestId('pw-repository-parsed')).toHaveTextContent('acme/shop');
    expect(screen.getByTestId('pw-repository-filled')).toBeInTheDocument();
    expect(screen.getByTestId('github-token-saved')).toBeInTheDocument();
    expect(fake.api.parseRepository).toHaveBeenCalledTimes(parses);

    await user.click(screen.getByTestId('pw-next'));
    await user.click(await screen.findByTestId('pw-next'));
    await user.click(await screen.findByTestId('pw-env-add'));
    await user.click(screen.getByTestId('pw-env-show-values'));
    await user.click(screen.getByTestId('pw-env-text'));
    await user.paste('A=1\noops');
    // Rust's merge (app_core::checks::paste_env_rows): the blank row takes the variable.
    fake.env.respond('pasteEnvRows', {
      rows: [{ key: 'A', value: '1' }],
      added: 1,
      text: 'oops',
      errors: [{ line: 1, message: 'Expected KEY=VALUE. (was line 2)' }],
    });
    await user.click(screen.getByTestId('pw-env-text-add'));
    expect(fake.api.pasteEnvRows).toHaveBeenCalledWith([{ key: '', value: '' }], 'A=1\noops');
    expect(screen.getByTestId('pw-env-text-errors')).toHaveTextContent('Line 1: Expected KEY=VALUE. (was line 2)');
    // The blank row (Rust's word) took the pasted variable instead of staying behind it.
    expect(screen.getAllByTestId('pw-env-key').map((e) => (e as HTMLInputElement).value)).toEqual(['A']);
    await user.click(screen.getByTestId('pw-next'));
    await screen.findByTestId('pw-review');
    await user.click(screen.getByTestId('pw-back'));
    expect(screen.getByTestId('pw-env-text-errors')).toHaveTextContent('Line 1: Expected KEY=VALUE. (was line 2)');
    expect(screen.getByTestId('pw-env-text-added')).toHaveTextContent('1 variable added');
    expect(screen.getByTestId('pw-env-show-values')).toBeChecked();
  });

  it('pasted .env lines are added to the table; bad lines get their own message', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user);
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-env-add'));
    await user.type(screen.getAllByTestId('pw-env-key')[0]!, 'LOG_LEVEL');
    await user.type(screen.getAllByTestId('pw-env-value')[0]!, 'info');
    await user.click(screen.getByTestId('pw-env-text'));
    await user.paste('# staging\nLOG_LEVEL=debug\nAPI_BASE="https://api.example.com"\noops\nBAD KEY=1');
    // Rust reads two entries and two bad lines, and merges the entries into the rows.
    fake.env.respond('pasteEnvRows', {
      rows: [
        { key: 'LOG_LEVEL', value: 'debug' },
        { key: 'API_BASE', value: 'https://api.example.com' },
      ],
      added: 2,
      text: 'oops\nBAD KEY=1',
      errors: [
        { line: 1, message: 'Expected KEY=VALUE. (was line 4)' },
        { line: 2, message: 'Invalid key “BAD KEY”. (was line 5)' },
      ],
    });
    await user.click(screen.getByTestId('pw-env-text-add'));
    expect(fake.api.pasteEnvRows).toHaveBeenCalledWith([{ key: 'LOG_LEVEL', value: 'info' }], expect.stringContaining('LOG_LEVEL=debug'));
    expect(screen.getByTestId('pw-env-text-added')).toHaveTextContent('2 variables added');
    expect(screen.getAllByTestId('pw-env-key').map((e) => (e as HTMLInputElement).value)).toEqual(['LOG_LEVEL', 'API_BASE']);
    expect(screen.getAllByTestId('pw-env-value').map((e) => (e as HTMLInputElement).value)).toEqual(['debug', 'https://api.example.com']);
    const errors = screen.getByTestId('pw-env-text-errors');
    expect(errors).toHaveTextContent('Line 1: Expected KEY=VALUE. (was line 4)');
    expect(errors).toHaveTextContent('Line 2: Invalid key “BAD KEY”. (was line 5)');
    expect(screen.getByTestId('pw-env-text')).toHaveValue('oops\nBAD KEY=1');

    // A key Rust finds repeated blocks Next (scripted answer; the rule is app_core::checks).
    fake.envRowCheck = (rows) => rows.map((row, i) => (i === 2 && row.key === 'API_BASE' ? 'API_BASE is already set in a row above.' : null));
    await user.click(screen.getByTestId('pw-env-add'));
    await user.type(screen.getAllByTestId('pw-env-key')[2]!, 'API_BASE');
    expect(await screen.findByTestId('pw-env-key-error')).toHaveTextContent('already set in a row above');
    await user.click(screen.getByTestId('pw-next'));
    expect(step()).toBe('3');
  });

  it('with no stored token: a password field; saved on Next and never shown again', async () => {
    const fake = previewFake({ tokenStored: false });
    const { user, result } = await renderPreviews(fake, 'new');
    const field = await screen.findByTestId('github-token-input');
    expect(field).toHaveAttribute('type', 'password');
    await user.type(screen.getByTestId('pw-repository'), 'acme/shop');
    await user.click(screen.getByTestId('pw-next'));
    expect(step()).toBe('1');
    expect(screen.getByTestId('github-token-error')).toHaveTextContent('Paste a GitHub token');

    await user.type(screen.getByTestId('github-token-input'), TOKEN);
    await user.click(screen.getByTestId('pw-next'));
    expect(await screen.findByTestId('pw-name')).toBeInTheDocument();
    expect(fake.api.setGithubToken).toHaveBeenCalledWith(TOKEN);

    await user.click(screen.getByTestId('pw-back'));
    expect(screen.getByTestId('github-token-saved')).toHaveTextContent('A GitHub token is saved');
    expect(screen.queryByTestId('github-token-input')).not.toBeInTheDocument();
    expect(result.container.innerHTML).not.toContain(TOKEN);
    for (const input of document.querySelectorAll('input')) expect(input.value).not.toBe(TOKEN);

    // Replace shows an empty field, never the stored token.
    await user.click(screen.getByTestId('github-token-replace'));
    expect(screen.getByTestId('github-token-input')).toHaveValue('');
    expect(screen.getByTestId('github-token-input')).toHaveFocus();
    await user.type(screen.getByTestId('github-token-input'), 'github_pat_SECOND');
    await user.click(screen.getByTestId('github-token-save'));
    await screen.findByTestId('github-token-saved');
    expect(fake.preview.tokensReceived).toEqual([TOKEN, 'github_pat_SECOND']);
    expect(result.container.innerHTML).not.toContain('github_pat_SECOND');

    // Forget: back to the empty password field.
    await user.click(screen.getByTestId('github-token-forget'));
    expect(await screen.findByTestId('github-token-input')).toHaveValue('');
    expect(fake.api.forgetGithubToken).toHaveBeenCalled();
  });

  it('a keychain failure while saving the token is explained and nothing moves on', async () => {
    const fake = previewFake({ tokenStored: false });
    fake.keychainWorks = false;
    const { user } = await renderPreviews(fake, 'new');
    await user.type(screen.getByTestId('pw-repository'), 'acme/shop');
    await user.type(await screen.findByTestId('github-token-input'), TOKEN);
    await user.click(screen.getByTestId('pw-next'));
    expect(await screen.findByTestId('github-token-action-error')).toHaveTextContent('Secret Service');
    expect(step()).toBe('1');
  });

  it('creates the preview app and shows its timeline', async () => {
    const fake = previewFake();
    const { user, ctx } = await renderPreviews(fake, 'new');
    await fillStep1(user, { branch: 'feature-login', directory: 'hasura' });
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-create'));
    expect(await screen.findByTestId('preview-timeline')).toBeInTheDocument();
    expect(fake.api.previewCreate).toHaveBeenCalledWith({
      repository: 'acme/shop',
      branch: 'feature-login',
      directory: 'hasura',
      name: 'feature-login',
      cloud: 'aws',
      region: 'us-east-2',
      plan: 'cloud_free',
      envs: [],
    });
    expect(ctx.nav.route).toMatchObject({ name: 'previews', view: 'run' });
    expect(screen.getByTestId('pw-timeline-title')).toHaveTextContent('feature-login');
    expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'creating');

    // A new wizard starts empty, and its name follows its own branch.
    await user.click(screen.getByTestId('pw-new'));
    expect(await screen.findByTestId('pw-repository')).toHaveValue('');
    await fillStep1(user, { branch: 'fix-checkout' });
    expect(screen.getByTestId('pw-name')).toHaveValue('fix-checkout');
  });

  it.each([
    ['name', '2', 'pw-name', 'A preview app with this name is being deleted.'],
    ['region', '2', 'pw-region', 'Unknown region.'],
    ['repository', '1', 'pw-repository', 'Hasura Cloud could not find acme/shop.'],
    ['branch', '1', 'pw-branch', 'No such branch.'],
    ['envs', '3', 'pw-env-add', 'Env keys must be unique.'],
  ])('an invalidInput on %s returns to step %s with the message; all input kept', async (field, toStep, focusId, message) => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user, { repository: 'acme/shop', branch: 'dev' });
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-env-add'));
    await user.type(screen.getAllByTestId('pw-env-key')[0]!, 'A');
    await user.type(screen.getAllByTestId('pw-env-value')[0]!, 'b');
    await user.click(screen.getByTestId('pw-next'));
    fake.fail('previewCreate', err('invalidInput', message, { field }));
    await user.click(screen.getByTestId('pw-create'));
    await waitFor(() => expect(step()).toBe(toStep));
    expect(screen.getByTestId('preview-wizard')).toHaveTextContent(message);
    expect(screen.getByTestId(focusId)).toHaveFocus();
    expect(screen.queryByTestId('pw-create-error')).not.toBeInTheDocument();

    // Everything is still there.
    while (step() !== '1') await user.click(screen.getByTestId('pw-back'));
    expect(screen.getByTestId('pw-repository')).toHaveValue('acme/shop');
    expect(screen.getByTestId('pw-branch')).toHaveValue('dev');
    await user.click(within(screen.getByTestId('pw-step-3')).getByRole('button'));
    expect(screen.getAllByTestId('pw-env-key')[0]).toHaveValue('A');
    expect(screen.getAllByTestId('pw-env-value')[0]).toHaveValue('b');
  });

  it('a missing GitHub token from create returns to step 1 at the token', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user);
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    // Forgotten elsewhere meanwhile: Rust refuses the create.
    fake.preview.tokens.clear();
    fake.fail('previewCreate', err('invalidInput', 'Add a GitHub token first: Hasura Cloud needs it to read the repository.', { field: 'githubToken' }));
    await user.click(screen.getByTestId('pw-create'));
    await waitFor(() => expect(step()).toBe('1'));
    expect(screen.getByTestId('github-token-error')).toHaveTextContent('Add a GitHub token first');
  });

  it('the monthly limit and other errors stay on the review with a clear message', async () => {
    const fake = previewFake();
    fake.fail(
      'previewCreate',
      err('rateLimited', 'Your account has used its 60 preview-app calls this month. Try again next month, or delete preview apps you no longer need.', {
        retryAfterSecs: null,
      }),
    );
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user);
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-create'));
    const e = await screen.findByTestId('pw-create-error');
    expect(e).toHaveTextContent('The preview app was not created');
    expect(e).toHaveTextContent('60 preview-app calls this month');
    expect(step()).toBe('4');
    expect(screen.getByTestId('pw-create')).toBeEnabled();
  });
});
