// Shared set-up for the env editor's tests: a project with a few variables, rendered in EnvEditor.
import { screen } from '@testing-library/svelte';
import EnvEditor from '../components/EnvEditor.svelte';
import { cloudProfile, createFake, makeProject, type EnvValue, type FakeBackend } from './fake-api';
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

export async function renderEnvEditor(
  vars: Record<string, EnvValue> = ENV_VARS,
  before?: (fake: FakeBackend) => Promise<void> | void,
) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [envProject, otherProject] });
  fake.setEnv(TENANT, vars);
  await before?.(fake);
  fake.api.envStage.mockClear();
  const r = await renderWith(EnvEditor, fake, {
    props: { tenantId: TENANT, projectId: envProject.id, projectName: envProject.name },
    prepare: async (ctx) => {
      await signedIn(ctx);
      await ctx.projects.load();
    },
  });
  if (Object.keys(vars).length > 0) await screen.findAllByTestId('env-row');
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
