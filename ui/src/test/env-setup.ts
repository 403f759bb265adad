// Shared set-up for the env editor's tests: a project whose draft (as Rust would send it) has a
// few variables, rendered in EnvEditor.
import { screen } from '@testing-library/svelte';
import EnvEditor from '../components/EnvEditor.svelte';
import type { EnvDraft } from '../lib/types';
import { cloudProfile, createFake, makeProject, type FakeBackend } from './fake-api';
import { draftOf, type DraftSpec, type EnvValue } from './env-draft';
import { renderWith, signedIn } from './render';

export const envProject = makeProject(1, { name: 'billing-api' });
export const otherProject = makeProject(2, { name: 'billing-staging' });
export const TENANT = envProject.tenantId!;
export const OTHER_TENANT = otherProject.tenantId!;

export const ENV_VARS: Record<string, EnvValue> = {
  HASURA_GRAPHQL_ADMIN_SECRET: 'very-secret-admin',
  PG_DATABASE_URL: 'postgres://app:hunter2@db.internal:5432/app',
  LOG_LEVEL: 'debug',
  FEATURE_FLAGS: { beta: true, limit: 5 },
  API_BASE: 'https://api.example.com',
};
/** The keys of ENV_VARS that Rust flags as secret-looking. */
export const ENV_SECRETS = ['HASURA_GRAPHQL_ADMIN_SECRET', 'PG_DATABASE_URL'];

/** The project's draft: ENV_VARS (with Rust's secret flags) plus whatever `spec` adds. */
export function envDraft(spec: DraftSpec = {}): EnvDraft {
  return draftOf({ tenantId: TENANT, vars: ENV_VARS, secret: ENV_SECRETS, ...spec });
}

export async function renderEnvEditor(draft: EnvDraft = envDraft(), before?: (fake: FakeBackend) => Promise<void> | void) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [envProject, otherProject] });
  fake.env.set(TENANT, draft);
  await before?.(fake);
  const r = await renderWith(EnvEditor, fake, {
    props: { tenantId: TENANT, projectId: envProject.id, projectName: envProject.name },
    prepare: async (ctx) => {
      await signedIn(ctx);
      await ctx.projects.load();
    },
  });
  if (draft.vars.length > 0 || draft.changes.length > 0) await screen.findAllByTestId('env-row');
  return { fake, ...r };
}

export function envRow(key: string): HTMLElement {
  const el = screen.getAllByTestId('env-row').find((r) => r.dataset.key === key);
  if (!el) throw new Error(`no row ${key}`);
  return el;
}

export function envKeys(): (string | undefined)[] {
  return screen.queryAllByTestId('env-row').map((r) => r.dataset.key);
}
