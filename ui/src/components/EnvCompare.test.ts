import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err } from '../test/fake-api';
import { added, changed, draftOf } from '../test/env-draft';
import { envDraft, envRow, OTHER_TENANT, otherProject, renderEnvEditor, TENANT } from '../test/env-setup';
import type { CompareRow } from '../lib/types';

/** Rust's comparison of billing-api (left) with billing-staging (right): fingerprints only. */
const ROWS: CompareRow[] = [
  { key: 'API_BASE', status: 'different', leftFingerprint: '6c1f0a9b2d3e', rightFingerprint: '0b7e5d4c3a21' },
  { key: 'FEATURE_FLAGS', status: 'onlyLeft', leftFingerprint: '9d8c7b6a5f4e', rightFingerprint: null },
  { key: 'HASURA_GRAPHQL_ADMIN_SECRET', status: 'different', leftFingerprint: '1a2b3c4d5e6f', rightFingerprint: 'f6e5d4c3b2a1' },
  { key: 'LOG_LEVEL', status: 'same', leftFingerprint: '3fa9c2e01b7d', rightFingerprint: '3fa9c2e01b7d' },
  { key: 'ONLY_STAGING', status: 'onlyRight', leftFingerprint: null, rightFingerprint: '5e5e5e5e5e5e' },
  { key: 'PG_DATABASE_URL', status: 'onlyLeft', leftFingerprint: '7a7a7a7a7a7a', rightFingerprint: null },
];

async function openCompare() {
  const r = await renderEnvEditor(envDraft(), (fake) => {
    fake.env.set(OTHER_TENANT, draftOf({ tenantId: OTHER_TENANT, vars: { LOG_LEVEL: 'debug' } }));
    fake.env.respond('envCompare', { leftTenantId: TENANT, rightTenantId: OTHER_TENANT, rows: ROWS });
  });
  await r.user.click(screen.getByTestId('env-compare-button'));
  await r.user.selectOptions(screen.getByTestId('env-compare-target'), otherProject.id);
  await screen.findAllByTestId('env-compare-row');
  return r;
}

const crow = (key: string) => screen.getAllByTestId('env-compare-row').find((r) => r.dataset.key === key)!;

describe('EnvCompare', () => {
  it("shows Rust's comparison: a status and fingerprints per key, and no value anywhere in the page", async () => {
    const { fake } = await openCompare();
    expect(fake.api.envCompare).toHaveBeenCalledWith(TENANT, OTHER_TENANT);
    const status = Object.fromEntries(screen.getAllByTestId('env-compare-row').map((r) => [r.dataset.key, r.dataset.status]));
    expect(status).toEqual({
      API_BASE: 'different',
      FEATURE_FLAGS: 'onlyLeft',
      HASURA_GRAPHQL_ADMIN_SECRET: 'different',
      LOG_LEVEL: 'same',
      ONLY_STAGING: 'onlyRight',
      PG_DATABASE_URL: 'onlyLeft',
    });
    expect(screen.getByTestId('env-compare-summary')).toHaveTextContent(
      '2 only in billing-api · 1 only in billing-staging · 2 different · 1 the same',
    );
    expect(within(crow('LOG_LEVEL')).getByTestId('env-compare-left-fp')).toHaveTextContent('3fa9c2e01b7d');
    expect(within(crow('API_BASE')).getByTestId('env-compare-right-fp')).toHaveTextContent('0b7e5d4c3a21');
    expect(within(crow('ONLY_STAGING')).getByTestId('env-compare-left-fp')).toHaveTextContent('—');

    const html = document.body.innerHTML;
    for (const v of ['very-secret-admin', 'hunter2', 'api.example.com']) {
      expect(html).not.toContain(v);
    }
  });

  it('copies chosen keys left → right and opens the target env editor', async () => {
    const { fake, ctx, user } = await openCompare();
    expect(within(crow('LOG_LEVEL')).getByTestId('env-compare-check')).toBeDisabled(); // same
    expect(within(crow('ONLY_STAGING')).getByTestId('env-compare-check')).toBeDisabled(); // nothing to copy from here
    expect(screen.getByTestId('env-compare-copy')).toBeDisabled();

    await user.click(within(crow('FEATURE_FLAGS')).getByTestId('env-compare-check'));
    await user.click(within(crow('API_BASE')).getByTestId('env-compare-check'));
    const copy = screen.getByTestId('env-compare-copy');
    expect(copy).toHaveTextContent('Copy 2 keys to billing-staging');
    // Rust stages the two keys in billing-staging's draft.
    fake.env.respond(
      'envCopy',
      draftOf({
        tenantId: OTHER_TENANT,
        vars: { API_BASE: 'https://staging.example.com' },
        changes: [changed('API_BASE', 'https://staging.example.com', 'https://api.example.com'), added('FEATURE_FLAGS', '{"beta":true,"limit":5}')],
      }),
    );
    await user.click(copy);

    expect(fake.api.envCopy).toHaveBeenCalledWith(TENANT, OTHER_TENANT, ['API_BASE', 'FEATURE_FLAGS']);
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'project', projectId: otherProject.id, tab: 'env' }));
    expect(await fake.api.envUnsaved()).toEqual([OTHER_TENANT]);
    const draft = await fake.api.envLoad(OTHER_TENANT);
    expect(draft.changes.map((c) => [c.key, c.kind])).toEqual([
      ['API_BASE', 'changed'],
      ['FEATURE_FLAGS', 'added'],
    ]);
  });

  it('right → left copies into this project and shows the staged rows here', async () => {
    const { fake, ctx, user } = await openCompare();
    await user.click(within(crow('API_BASE')).getByTestId('env-compare-check'));
    await user.click(within(crow('FEATURE_FLAGS')).getByTestId('env-compare-check'));
    await user.click(screen.getByTestId('env-compare-direction-rtl'));
    // FEATURE_FLAGS exists only here, so it cannot be copied from there.
    expect(within(crow('FEATURE_FLAGS')).getByTestId('env-compare-check')).not.toBeChecked();
    expect(within(crow('FEATURE_FLAGS')).getByTestId('env-compare-check')).toBeDisabled();
    await user.click(within(crow('ONLY_STAGING')).getByTestId('env-compare-check'));
    expect(screen.getByTestId('env-compare-copy')).toHaveTextContent('Copy 2 keys to billing-api');
    fake.env.respond(
      'envCopy',
      envDraft({ changes: [changed('API_BASE', 'https://api.example.com', 'https://staging.example.com'), added('ONLY_STAGING', 'staging-value')] }),
    );

    await user.click(screen.getByTestId('env-compare-copy'));
    expect(fake.api.envCopy).toHaveBeenCalledWith(OTHER_TENANT, TENANT, ['API_BASE', 'ONLY_STAGING']);
    expect(await screen.findByTestId('env-notice')).toHaveTextContent('Staged 2 variables');
    expect(screen.queryByTestId('env-compare')).not.toBeInTheDocument();
    expect(envRow('ONLY_STAGING')).toHaveAttribute('data-state', 'added');
    expect(envRow('API_BASE')).toHaveAttribute('data-state', 'changed');
    expect(ctx.nav.route).not.toMatchObject({ projectId: otherProject.id });
  });

  it('select all, hide identical keys, and errors', async () => {
    const { fake, user } = await openCompare();
    await user.click(screen.getByTestId('env-compare-select-all'));
    expect(screen.getByTestId('env-compare-copy')).toHaveTextContent('Copy 4 keys');
    await user.click(screen.getByTestId('env-compare-only-differences'));
    expect(screen.getAllByTestId('env-compare-row').map((r) => r.dataset.key)).not.toContain('LOG_LEVEL');

    fake.fail('envCopy', err('network', 'Could not reach Hasura Cloud.'));
    await user.click(screen.getByTestId('env-compare-copy'));
    expect(await screen.findByTestId('env-compare-copy-error')).toHaveTextContent('Could not reach Hasura Cloud.');
    expect(screen.getByTestId('env-compare-copy')).toHaveTextContent('Copy 4 keys');

    await user.click(screen.getByTestId('env-compare-close'));
    expect(screen.getAllByTestId('env-row').length).toBeGreaterThan(0);
  });
});
