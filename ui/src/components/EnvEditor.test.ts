import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import EnvEditor from './EnvEditor.svelte';
import { cloudProfile, createFake, err } from '../test/fake-api';
import { added, changed, draftOf, errorIssue, removed, warningIssue, type EnvValue } from '../test/env-draft';
import { ENV_VARS, envDraft, envKeys, envProject, envRow, renderEnvEditor, TENANT } from '../test/env-setup';
import { renderWith, signedIn } from '../test/render';

const project = envProject;
const setup = renderEnvEditor;
const row = envRow;
const keys = envKeys;

/** Rust's answers for the keys these tests type (scripted; the rule is app_core::validate::env_key). */
function scriptedKeyRule(text: string): string | null {
  const answers: Record<string, string> = {
    '': 'An environment variable has no name.',
    '1ABC': '"1ABC" is not a valid environment variable name.',
  };
  return answers[text] ?? null;
}

describe('EnvEditor: the table', () => {
  it('shows loading, then every variable sorted by key with every value masked', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    fake.env.set(TENANT, envDraft());
    const release = fake.hold('envLoad');
    await renderWith(EnvEditor, fake, {
      props: { tenantId: TENANT, projectId: project.id, projectName: project.name },
      prepare: signedIn,
    });
    expect(screen.getByTestId('env-loading')).toBeInTheDocument();
    release();
    await screen.findAllByTestId('env-row');
    expect(fake.api.envLoad).toHaveBeenCalledWith(TENANT);
    expect(keys()).toEqual(['API_BASE', 'FEATURE_FLAGS', 'HASURA_GRAPHQL_ADMIN_SECRET', 'LOG_LEVEL', 'PG_DATABASE_URL']);
    expect(screen.getByTestId('env-count')).toHaveTextContent('5 variables');
    for (const r of screen.getAllByTestId('env-row')) {
      expect(within(r).getByTestId('env-row-value')).toHaveAttribute('data-masked', 'true');
    }
    const html = document.body.innerHTML;
    for (const v of ['very-secret-admin', 'hunter2', 'debug', 'api.example.com', '"beta"']) expect(html).not.toContain(v);
  });

  it('flags the keys Rust marks secret-looking, and JSON values', async () => {
    await setup();
    expect(within(row('HASURA_GRAPHQL_ADMIN_SECRET')).getByTestId('env-secret-badge')).toBeInTheDocument();
    expect(within(row('PG_DATABASE_URL')).getByTestId('env-secret-badge')).toBeInTheDocument();
    expect(within(row('LOG_LEVEL')).queryByTestId('env-secret-badge')).not.toBeInTheDocument();
    expect(within(row('FEATURE_FLAGS')).getByTestId('env-json-badge')).toHaveTextContent('json');
    expect(within(row('LOG_LEVEL')).queryByTestId('env-json-badge')).not.toBeInTheDocument();
  });

  it('reveals one value at a time, and JSON as formatted JSON', async () => {
    const { user } = await setup();
    await user.click(within(row('LOG_LEVEL')).getByTestId('env-reveal'));
    expect(within(row('LOG_LEVEL')).getByTestId('env-row-value')).toHaveTextContent('debug');
    expect(within(row('LOG_LEVEL')).getByTestId('env-reveal')).toHaveAttribute('aria-pressed', 'true');

    await user.click(within(row('FEATURE_FLAGS')).getByTestId('env-reveal'));
    const json = within(row('FEATURE_FLAGS')).getByTestId('env-row-value');
    expect(json.textContent).toBe('{\n  "beta": true,\n  "limit": 5\n}');
    expect(json).toHaveClass('json');
    // The first one is masked again.
    expect(within(row('LOG_LEVEL')).getByTestId('env-row-value')).toHaveAttribute('data-masked', 'true');
    expect(document.body.innerHTML).not.toContain('debug');

    await user.click(within(row('FEATURE_FLAGS')).getByTestId('env-reveal'));
    expect(within(row('FEATURE_FLAGS')).getByTestId('env-row-value')).toHaveAttribute('data-masked', 'true');
  });

  it('copies a value without revealing it', async () => {
    const { user } = await setup();
    await user.click(within(row('HASURA_GRAPHQL_ADMIN_SECRET')).getByTestId('env-copy'));
    expect(await navigator.clipboard.readText()).toBe('very-secret-admin');
    expect(within(row('HASURA_GRAPHQL_ADMIN_SECRET')).getByTestId('env-row-value')).toHaveAttribute('data-masked', 'true');
  });

  it('searches keys only, case-insensitively, every word must match', async () => {
    const { user } = await setup();
    const search = screen.getByTestId('env-search');
    await user.type(search, 'url');
    expect(keys()).toEqual(['PG_DATABASE_URL']);
    expect(screen.getByTestId('env-count')).toHaveTextContent('1 of 5 variables');

    await user.clear(search);
    await user.type(search, 'hunter2'); // a value, not a key
    expect(screen.getByTestId('env-no-match')).toHaveTextContent('No key matches');

    await user.clear(search);
    await user.type(search, 'graphql secret');
    expect(keys()).toEqual(['HASURA_GRAPHQL_ADMIN_SECRET']);
    await user.keyboard('{Escape}');
    expect(search).toHaveValue('');
    expect(keys()).toHaveLength(5);
  });

  it('sorts by key, toggling the direction', async () => {
    const { user } = await setup(draftOf({ tenantId: TENANT, vars: { b_lower: '1', A_UPPER: '2', C: '3' } }));
    expect(keys()).toEqual(['A_UPPER', 'b_lower', 'C']);
    await user.click(screen.getByTestId('env-sort-key'));
    expect(keys()).toEqual(['C', 'b_lower', 'A_UPPER']);
    expect(screen.getByTestId('env-sort-key')).toHaveAttribute('data-dir', 'desc');
    await user.click(screen.getByTestId('env-sort-key'));
    expect(keys()).toEqual(['A_UPPER', 'b_lower', 'C']);
  });

  it('shows an empty state and a load error with retry', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] }).fail(
      'envLoad',
      err('network', 'Could not reach Hasura Cloud.'),
    );
    fake.env.set(TENANT, draftOf({ tenantId: TENANT }));
    const { user } = await renderWith(EnvEditor, fake, {
      props: { tenantId: TENANT, projectId: project.id, projectName: project.name },
      prepare: signedIn,
    });
    const error = await screen.findByTestId('env-load-error');
    expect(error).toHaveTextContent('Could not reach Hasura Cloud.');
    await user.click(within(error).getByTestId('retry-button'));
    expect(await screen.findByTestId('env-empty')).toBeInTheDocument();
  });
});

describe('EnvEditor: staging edits', () => {
  it("adds a variable, with Rust's answer for the key as typed, and duplicates of the table refused", async () => {
    const { fake, user } = await setup();
    fake.fieldProblems.envKey = scriptedKeyRule;
    const key = screen.getByTestId('env-add-key');
    const value = screen.getByTestId('env-add-value');
    expect(value).toHaveAttribute('type', 'password');

    await user.type(key, '1ABC');
    expect(await screen.findByTestId('env-add-key-error')).toHaveTextContent('"1ABC" is not a valid environment variable name');
    expect(fake.api.checkField).toHaveBeenLastCalledWith({ rule: 'envKey', text: '1ABC' });
    await user.clear(key);
    await user.type(key, 'LOG_LEVEL');
    await waitFor(() => expect(screen.getByTestId('env-add-key-error')).toHaveTextContent('LOG_LEVEL already exists'));
    await user.click(screen.getByTestId('env-add-submit'));
    expect(fake.api.envStage).not.toHaveBeenCalled();

    await user.clear(key);
    await user.click(screen.getByTestId('env-add-submit'));
    await waitFor(() => expect(screen.getByTestId('env-add-key-error')).toHaveTextContent('has no name'));
    expect(fake.api.envStage).not.toHaveBeenCalled();

    await user.type(key, 'NEW_TOKEN');
    await waitFor(() => expect(screen.queryByTestId('env-add-key-error')).not.toBeInTheDocument());
    await user.type(value, 'tok-123');
    // Rust stages it and flags the new value as secret-looking.
    fake.env.respond('envStage', envDraft({ changes: [added('NEW_TOKEN', 'tok-123')], secretStaged: ['NEW_TOKEN'] }));
    await user.click(screen.getByTestId('env-add-submit'));
    expect(fake.api.envStage).toHaveBeenCalledWith(TENANT, [{ op: 'set', key: 'NEW_TOKEN', value: 'tok-123' }]);

    await waitFor(() => expect(row('NEW_TOKEN')).toHaveAttribute('data-state', 'added'));
    expect(within(row('NEW_TOKEN')).getByTestId('env-state-badge')).toHaveTextContent('Added');
    expect(within(row('NEW_TOKEN')).getByTestId('env-secret-badge')).toBeInTheDocument();
    expect(key).toHaveValue('');
    expect(value).toHaveValue('');
    expect(screen.getByTestId('env-staged-count')).toHaveTextContent('1 staged change');
  });

  it('keeps what was typed when staging fails', async () => {
    const { fake, user } = await setup();
    fake.fail('envStage', err('internal', 'The app lost the draft.'));
    await user.type(screen.getByTestId('env-add-key'), 'NEW_ONE');
    await user.type(screen.getByTestId('env-add-value'), 'abc');
    await user.click(screen.getByTestId('env-add-submit'));
    expect(await screen.findByTestId('env-add-error')).toHaveTextContent('The app lost the draft.');
    expect(screen.getByTestId('env-add-key')).toHaveValue('NEW_ONE');
    expect(screen.getByTestId('env-add-value')).toHaveValue('abc');
  });

  it('keeps what was typed in the add form, its problem and the shown value, through Compare and back', async () => {
    const { user, fake } = await setup();
    fake.fieldProblems.envKey = scriptedKeyRule;
    await user.type(screen.getByTestId('env-add-key'), '1ABC');
    await user.type(screen.getByTestId('env-add-value'), 'abc');
    await user.click(screen.getByTestId('env-add-show'));
    await user.click(screen.getByTestId('env-compare-button'));
    await user.click(await screen.findByTestId('env-compare-close'));
    expect(await screen.findByTestId('env-add-key')).toHaveValue('1ABC');
    expect(screen.getByTestId('env-add-value')).toHaveValue('abc');
    expect(screen.getByTestId('env-add-value')).toHaveAttribute('type', 'text');
    expect(await screen.findByTestId('env-add-key-error')).toHaveTextContent('not a valid environment variable name');
  });

  it('edits a value inline (Enter stages, Escape cancels) and undoes it', async () => {
    const { fake, user } = await setup();
    fake.env
      .respond('envStage', envDraft({ changes: [changed('LOG_LEVEL', 'debug', 'info')] }))
      .respond('envUnstage', envDraft());
    await user.click(within(row('LOG_LEVEL')).getByTestId('env-edit'));
    const input = within(row('LOG_LEVEL')).getByTestId('env-edit-input');
    await waitFor(() => expect(input).toHaveFocus());
    expect(input).toHaveValue('debug');
    await user.clear(input);
    await user.type(input, 'info{Escape}');
    expect(screen.queryByTestId('env-edit-input')).not.toBeInTheDocument();
    expect(fake.api.envStage).not.toHaveBeenCalled();

    await user.click(within(row('LOG_LEVEL')).getByTestId('env-edit'));
    const again = screen.getByTestId('env-edit-input');
    await user.clear(again);
    await user.type(again, 'info{Enter}');
    expect(fake.api.envStage).toHaveBeenCalledWith(TENANT, [{ op: 'set', key: 'LOG_LEVEL', value: 'info' }]);
    await waitFor(() => expect(row('LOG_LEVEL')).toHaveAttribute('data-state', 'changed'));
    expect(screen.getByTestId('env-staged-count')).toHaveTextContent('1 staged change');

    await user.click(within(row('LOG_LEVEL')).getByTestId('env-undo'));
    expect(fake.api.envUnstage).toHaveBeenCalledWith(TENANT, ['LOG_LEVEL']);
    await waitFor(() => expect(row('LOG_LEVEL')).toHaveAttribute('data-state', 'unchanged'));
    expect(screen.queryByTestId('env-staged-bar')).not.toBeInTheDocument();
  });

  it('edits a JSON value in a textarea', async () => {
    const { fake, user } = await setup();
    await user.click(within(row('FEATURE_FLAGS')).getByTestId('env-edit'));
    const area = within(row('FEATURE_FLAGS')).getByTestId('env-edit-input');
    expect(area.tagName).toBe('TEXTAREA');
    await user.clear(area);
    await user.type(area, '{{"beta":false}');
    await user.click(screen.getByTestId('env-edit-save'));
    expect(fake.api.envStage).toHaveBeenCalledWith(TENANT, [{ op: 'set', key: 'FEATURE_FLAGS', value: '{"beta":false}' }]);
  });

  it('deletes (stages a removal) and undoes it; deleting an added key unstages it', async () => {
    const { fake, user } = await setup();
    fake.env
      .respond('envStage', envDraft({ changes: [removed('API_BASE', 'https://api.example.com')] }))
      .respond('envStage', envDraft({ changes: [added('EXTRA', '')] }))
      .respond('envUnstage', envDraft(), envDraft());
    await user.click(within(row('API_BASE')).getByTestId('env-delete'));
    expect(fake.api.envStage).toHaveBeenCalledWith(TENANT, [{ op: 'remove', key: 'API_BASE' }]);
    await waitFor(() => expect(row('API_BASE')).toHaveAttribute('data-state', 'removed'));
    expect(within(row('API_BASE')).getByTestId('env-state-badge')).toHaveTextContent('Removed');
    expect(within(row('API_BASE')).queryByTestId('env-edit')).not.toBeInTheDocument();

    await user.click(within(row('API_BASE')).getByTestId('env-undo'));
    expect(fake.api.envUnstage).toHaveBeenCalledWith(TENANT, ['API_BASE']);
    await waitFor(() => expect(row('API_BASE')).toHaveAttribute('data-state', 'unchanged'));

    await user.type(screen.getByTestId('env-add-key'), 'EXTRA');
    await user.click(screen.getByTestId('env-add-submit'));
    await waitFor(() => expect(row('EXTRA')).toHaveAttribute('data-state', 'added'));
    await user.click(within(row('EXTRA')).getByTestId('env-undo'));
    expect(fake.api.envUnstage).toHaveBeenLastCalledWith(TENANT, ['EXTRA']);
    await waitFor(() => expect(keys()).not.toContain('EXTRA'));
  });

  it('shows issues next to keys: warnings, and errors that block apply', async () => {
    const { user } = await setup(
      envDraft({
        changes: [added('9LIVES', 'cat'), added('HASURA_CUSTOM', 'x')],
        issues: [
          errorIssue('9LIVES', '9LIVES is not a valid name: use letters, digits and underscores, not starting with a digit.'),
          warningIssue('HASURA_CUSTOM', 'HASURA_CUSTOM starts with HASURA_ but is not a known engine variable.'),
        ],
      }),
    );
    const warn = within(row('HASURA_CUSTOM')).getByTestId('env-row-issue');
    expect(warn).toHaveAttribute('data-severity', 'warning');
    expect(warn).toHaveTextContent('not a known engine variable');
    const error = within(row('9LIVES')).getByTestId('env-row-issue');
    expect(error).toHaveAttribute('data-severity', 'error');
    expect(screen.getByTestId('env-issues')).toHaveTextContent('1 problem must be fixed before applying');
    expect(screen.getByTestId('env-staged-bar')).toHaveTextContent('fix 1 problem before applying');

    await user.click(screen.getByTestId('env-review-button'));
    expect(screen.getByTestId('env-review-blocked')).toHaveTextContent('9LIVES');
    expect(screen.getByTestId('env-review-apply')).toBeDisabled();
    expect(screen.getByTestId('env-review-apply-watch')).toBeDisabled();
  });

  it('a draft left earlier comes back with its edits (it lives in the app)', async () => {
    const { fake } = await setup(envDraft({ changes: [removed('LOG_LEVEL', 'debug')] }));
    expect(fake.api.envLoad).toHaveBeenCalledWith(TENANT);
    expect(row('LOG_LEVEL')).toHaveAttribute('data-state', 'removed');
    expect(screen.getByTestId('env-staged-bar')).toHaveTextContent('1 staged change');
  });

  it('discards every staged change after a confirmation', async () => {
    const { fake, user } = await setup(envDraft({ changes: [removed('LOG_LEVEL', 'debug'), added('NEW', '1')] }));
    fake.env.respond('envDiscard', envDraft());
    expect(screen.getByTestId('env-staged-count')).toHaveTextContent('2 staged changes');
    await user.click(screen.getByTestId('env-discard-button'));
    const dialog = screen.getByTestId('env-discard-dialog');
    expect(dialog).toHaveTextContent('Discard 2 staged changes?');
    await user.click(within(dialog).getByTestId('env-discard-cancel'));
    expect(fake.api.envDiscard).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('env-discard-button'));
    await user.click(screen.getByTestId('env-discard-confirm'));
    expect(fake.api.envDiscard).toHaveBeenCalledWith(TENANT);
    await waitFor(() => expect(screen.queryByTestId('env-staged-bar')).not.toBeInTheDocument());
    expect(keys()).not.toContain('NEW');
    expect(row('LOG_LEVEL')).toHaveAttribute('data-state', 'unchanged');
  });

  it('reload keeps staged edits against the new base', async () => {
    const staged = [changed('LOG_LEVEL', 'debug', 'warn')];
    const { fake, user } = await setup(envDraft({ changes: staged }));
    // Someone else added OTHER: Rust's reload answers the new base with the edit still staged.
    fake.env.respond('envReload', envDraft({ vars: { ...ENV_VARS, OTHER: 'theirs' }, changes: staged }));
    await user.click(screen.getByTestId('env-reload'));
    expect(fake.api.envReload).toHaveBeenCalledWith(TENANT);
    await waitFor(() => expect(keys()).toContain('OTHER'));
    expect(row('LOG_LEVEL')).toHaveAttribute('data-state', 'changed');
  });
});

describe('EnvEditor: export', () => {
  it('warns that the file holds secrets in plain text, then says where it was saved', async () => {
    const { fake, user } = await setup();
    await user.click(screen.getByTestId('env-export-button'));
    const dialog = screen.getByTestId('env-export-dialog');
    expect(dialog).toHaveAttribute('role', 'alertdialog');
    expect(within(dialog).getByTestId('env-export-warning')).toHaveTextContent('including secrets, in plain text');
    await user.click(within(dialog).getByTestId('env-export-cancel'));
    expect(fake.api.envExport).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('env-export-button'));
    await user.click(screen.getByTestId('env-export-confirm'));
    expect(fake.api.envExport).toHaveBeenCalledWith(TENANT);
    expect(await screen.findByTestId('env-export-result')).toHaveTextContent('Saved to /home/me/project.env');
    expect(screen.queryByTestId('env-export-dialog')).not.toBeInTheDocument();
  });

  it('says nothing when the save dialog is cancelled, and shows errors in the dialog', async () => {
    const { fake, user } = await setup();
    fake.env.exportPath = null;
    await user.click(screen.getByTestId('env-export-button'));
    await user.click(screen.getByTestId('env-export-confirm'));
    await waitFor(() => expect(screen.queryByTestId('env-export-dialog')).not.toBeInTheDocument());
    expect(screen.queryByTestId('env-export-result')).not.toBeInTheDocument();

    fake.fail('envExport', err('internal', 'The file could not be written to /root/.env: permission denied'));
    await user.click(screen.getByTestId('env-export-button'));
    await user.click(screen.getByTestId('env-export-confirm'));
    expect(await screen.findByTestId('env-export-error')).toHaveTextContent('permission denied');
    expect(screen.getByTestId('env-export-dialog')).toBeInTheDocument();
  });
});

describe('EnvEditor: 10,000 variables', () => {
  it('renders only a window of rows and filters within a frame', async () => {
    const big: Record<string, EnvValue> = {};
    for (let i = 0; i < 10_000; i++) big[`VAR_${String(i).padStart(5, '0')}`] = `value-${i}`;
    const { user } = await setup(draftOf({ tenantId: TENANT, vars: big }));
    expect(screen.getByTestId('env-count')).toHaveTextContent('10,000 variables');
    const rendered = screen.getAllByTestId('env-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);

    const search = screen.getByTestId('env-search');
    await user.type(search, 'var_0999');
    expect(screen.getByTestId('env-count')).toHaveTextContent('10 of 10,000 variables');
    expect(keys()).toEqual(Array.from({ length: 10 }, (_, i) => `VAR_0999${i}`));

    await user.clear(search);
    await user.type(search, '1');
    const filtered = screen.getAllByTestId('env-row').length;
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(100); // still a window, of thousands of matches
  });
});

describe('EnvEditor: "Find projects with this value"', () => {
  it('keeps the dialog open when its row scrolls out of the virtual list', async () => {
    const many: Record<string, EnvValue> = {};
    for (let i = 0; i < 500; i++) many[`VAR_${String(i).padStart(3, '0')}`] = `value-${i}`;
    const { fake, user } = await setup(draftOf({ tenantId: TENANT, vars: many }));
    await user.click(within(row('VAR_000')).getByTestId('env-find-usage'));
    expect(await screen.findByTestId('fleet-find-dialog')).toHaveTextContent('Projects with the value of VAR_000');

    // Scrolled far down: the row is unmounted by the list, the dialog is not.
    const list = screen.getByTestId('env-list');
    list.scrollTop = 400 * 48;
    list.dispatchEvent(new Event('scroll'));
    await waitFor(() => expect(keys()).not.toContain('VAR_000'));
    expect(screen.getByTestId('fleet-find-dialog')).toHaveTextContent('Projects with the value of VAR_000');
    expect(fake.api.fleetFindUsage).toHaveBeenCalledTimes(1);
    expect(fake.api.fleetFindUsage).toHaveBeenCalledWith(TENANT, 'VAR_000', expect.any(Function));
  });
});
