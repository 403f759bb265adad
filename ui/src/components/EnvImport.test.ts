import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err } from '../test/fake-api';
import { added, changed, errorIssue, warningIssue } from '../test/env-draft';
import { envDraft, envRow, renderEnvEditor, TENANT } from '../test/env-setup';
import type { ImportPreview } from '../lib/types';

/** Rust's import preview: nothing unless the test says so. */
function previewOf(p: Partial<ImportPreview>): ImportPreview {
  return { added: [], overwritten: [], unchanged: [], errors: [], issues: [], ...p };
}

async function openImport() {
  const r = await renderEnvEditor();
  await r.user.click(screen.getByTestId('env-import-button'));
  return { ...r, dialog: screen.getByTestId('env-import') };
}

const keysIn = (testid: string) => [...screen.getByTestId(testid).querySelectorAll('li')].map((li) => li.textContent);

describe('EnvImport', () => {
  it('reports errors per line, keeps the text, and stages nothing until they are fixed', async () => {
    const { fake, user } = await openImport();
    const text = screen.getByTestId('env-import-text');
    await user.click(text);
    await user.paste('# a comment\nGOOD=1\nthis line is broken\nexport ALSO_GOOD="x"\nQUOTE="never closed');
    fake.env.respond(
      'envImportPreview',
      previewOf({
        added: [added('ALSO_GOOD', 'x'), added('GOOD', '1')],
        errors: [
          { line: 3, message: 'Expected KEY=VALUE.' },
          { line: 5, message: 'Unterminated double quote.' },
        ],
      }),
    );
    await user.click(screen.getByTestId('env-import-preview-button'));
    expect(fake.api.envImportPreview).toHaveBeenCalledWith(TENANT, expect.stringContaining('GOOD=1'));

    const errors = await screen.findAllByTestId('env-import-line-error');
    expect(errors.map((e) => e.dataset.line)).toEqual(['3', '5']);
    expect(errors[0]).toHaveTextContent('Line 3: Expected KEY=VALUE.');
    expect(errors[1]).toHaveTextContent('Line 5: Unterminated double quote.');
    expect(screen.getByTestId('env-import-stage')).toBeDisabled();
    expect(text).toHaveValue('# a comment\nGOOD=1\nthis line is broken\nexport ALSO_GOOD="x"\nQUOTE="never closed');

    // Editing makes the preview stale.
    await user.clear(text);
    await user.paste('GOOD=1\nexport ALSO_GOOD="x"');
    expect(screen.getByTestId('env-import-stale')).toBeInTheDocument();
    expect(screen.getByTestId('env-import-stage')).toBeDisabled();
  });

  it('previews added / overwritten / unchanged keys and issues, then stages them', async () => {
    const { fake, user } = await openImport();
    const input = 'LOG_LEVEL=debug\nAPI_BASE="https://new.example.com"\nNEW_ONE=1\nHASURA_CUSTOM=x\nNEW_ONE=2\n';
    await user.click(screen.getByTestId('env-import-text'));
    await user.paste(input);
    fake.env
      .respond(
        'envImportPreview',
        previewOf({
          added: [added('HASURA_CUSTOM', 'x'), added('NEW_ONE', '2')],
          overwritten: [changed('API_BASE', 'https://api.example.com', 'https://new.example.com')],
          unchanged: ['LOG_LEVEL'],
          issues: [
            errorIssue('NEW_ONE', 'NEW_ONE appears more than once (lines 3, 5).'),
            warningIssue('HASURA_CUSTOM', 'HASURA_CUSTOM starts with HASURA_ but is not a known engine variable.'),
          ],
        }),
      )
      .respond(
        'envImportStage',
        envDraft({
          changes: [
            changed('API_BASE', 'https://api.example.com', 'https://new.example.com'),
            added('HASURA_CUSTOM', 'x'),
            added('NEW_ONE', '2'),
          ],
        }),
      );
    await user.click(screen.getByTestId('env-import-preview-button'));
    await screen.findByTestId('env-import-preview');

    expect(keysIn('env-import-added')).toEqual(['HASURA_CUSTOM', 'NEW_ONE']);
    expect(keysIn('env-import-overwritten')).toEqual(['API_BASE']);
    expect(keysIn('env-import-unchanged')).toEqual(['LOG_LEVEL']);
    const issues = screen.getAllByTestId('env-import-issue');
    expect(issues.find((i) => i.dataset.severity === 'warning')).toHaveTextContent('HASURA_CUSTOM');
    expect(issues.find((i) => i.dataset.severity === 'error')).toHaveTextContent('NEW_ONE appears more than once (lines 3, 5)');
    expect(screen.getByTestId('env-import')).not.toHaveTextContent('new.example.com');

    const stage = screen.getByTestId('env-import-stage');
    expect(stage).toHaveTextContent('Stage these (3)');
    await user.click(stage);
    expect(fake.api.envImportStage).toHaveBeenCalledWith(TENANT, input);
    await waitFor(() => expect(screen.queryByTestId('env-import')).not.toBeInTheDocument());
    expect(screen.getByTestId('env-notice')).toHaveTextContent('Staged 3 variables');
    expect(envRow('NEW_ONE')).toHaveAttribute('data-state', 'added');
    expect(envRow('API_BASE')).toHaveAttribute('data-state', 'changed');
    expect(envRow('LOG_LEVEL')).toHaveAttribute('data-state', 'unchanged');
  });

  it('reads a chosen file in the window and previews it', async () => {
    const { fake, user } = await openImport();
    const file = new File(['FROM_FILE=yes\n'], 'staging.env', { type: 'text/plain' });
    fake.env.respond('envImportPreview', previewOf({ added: [added('FROM_FILE', 'yes')] }));
    await user.upload(screen.getByTestId('env-import-file'), file);
    await waitFor(() => expect(screen.getByTestId('env-import-text')).toHaveValue('FROM_FILE=yes\n'));
    expect(screen.getByTestId('env-import-file-name')).toHaveTextContent('staging.env');
    await waitFor(() => expect(fake.api.envImportPreview).toHaveBeenCalledWith(TENANT, 'FROM_FILE=yes\n'));
    expect(await screen.findByTestId('env-import-added')).toHaveTextContent('FROM_FILE');
  });

  it('keeps the text when preview or staging fails', async () => {
    const { fake, user, dialog } = await openImport();
    await user.click(screen.getByTestId('env-import-text'));
    await user.paste('A=1');
    fake.fail('envImportPreview', err('internal', 'The draft is gone.'));
    await user.click(screen.getByTestId('env-import-preview-button'));
    expect(await within(dialog).findByTestId('env-import-error')).toHaveTextContent('The draft is gone.');
    expect(screen.getByTestId('env-import-text')).toHaveValue('A=1');

    fake.env.respond('envImportPreview', previewOf({ added: [added('A', '1')] }));
    await user.click(screen.getByTestId('env-import-preview-button'));
    await screen.findByTestId('env-import-preview');
    fake.fail('envImportStage', err('invalidInput', 'The text has errors.', { field: 'envs' }));
    await user.click(screen.getByTestId('env-import-stage'));
    expect(await within(dialog).findByTestId('env-import-error')).toHaveTextContent('The text has errors.');
    expect(screen.getByTestId('env-import-text')).toHaveValue('A=1');
    expect(screen.getByTestId('env-import')).toBeInTheDocument();
  });
});
