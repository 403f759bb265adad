import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import CreateProject from './CreateProject.svelte';
import { cloudProfile, createFake, err } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

async function setup(opts: Parameters<typeof createFake>[0] = {}) {
  const fake = createFake({ profiles: [cloudProfile()], ...opts });
  const r = await renderWith(CreateProject, fake, { prepare: signedIn });
  await waitFor(() => expect(screen.queryByTestId('create-regions-loading')).not.toBeInTheDocument());
  return { fake, ...r };
}

describe('CreateProject', () => {
  it('loads regions, then offers the chosen cloud’s regions with a default', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    const release = fake.hold('listRegions');
    const { user } = await renderWith(CreateProject, fake, { prepare: signedIn });
    expect(screen.getByTestId('create-regions-loading')).toBeInTheDocument();
    release();
    await waitFor(() => expect(screen.getByTestId('create-region')).toHaveValue('us-east-2'));
    const options = () =>
      Array.from(document.querySelectorAll('#create-region-options option')).map((o) => (o as HTMLOptionElement).value);
    expect(options()).toEqual(['us-east-2', 'us-west-1', 'eu-central-1']);
    expect(screen.queryByTestId('create-region-builtin-note')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('create-cloud-gcp'));
    expect(options()).toEqual(['us-central1', 'europe-west1']);
    expect(screen.getByTestId('create-region')).toHaveValue('us-central1');
  });

  it("shows the chosen region's NAT IP with copy and what it is for; none when the API gave none", async () => {
    const { user } = await setup();
    await waitFor(() => expect(screen.getByTestId('create-region')).toHaveValue('us-east-2'));
    expect(screen.getByTestId('create-nat-ip-value')).toHaveTextContent('203.0.113.11');
    expect(screen.getByTestId('create-nat-ip')).toHaveTextContent("allow this address in your database's firewall");
    await user.click(screen.getByTestId('copy-create-nat-ip'));
    expect(await navigator.clipboard.readText()).toBe('203.0.113.11');

    // Another region, another address; a typed region the list does not know has none shown.
    await user.clear(screen.getByTestId('create-region'));
    await user.type(screen.getByTestId('create-region'), 'eu-central-1');
    expect(screen.getByTestId('create-nat-ip-value')).toHaveTextContent('203.0.113.17');
    await user.clear(screen.getByTestId('create-region'));
    await user.type(screen.getByTestId('create-region'), 'mars-1');
    expect(screen.queryByTestId('create-nat-ip')).not.toBeInTheDocument();
    await user.clear(screen.getByTestId('create-region'));
    await user.click(screen.getByTestId('create-cloud-azure'));
    await waitFor(() => expect(screen.getByTestId('create-region')).toHaveValue('eastus'));
    expect(screen.queryByTestId('create-nat-ip')).not.toBeInTheDocument();
  });

  it('notes when the region list is the built-in one', async () => {
    await setup({ regions: { fromApi: false, regions: [{ cloud: 'aws', name: 'us-east-2', natIp: null }] } });
    expect(screen.getByTestId('create-region-builtin-note')).toHaveTextContent('built-in list');
  });

  it('region list errors show with a Retry that retries, and a region can still be typed', async () => {
    const fake = createFake({ profiles: [cloudProfile()] }).fail('listRegions', err('network', 'Offline.'));
    const { user } = await renderWith(CreateProject, fake, { prepare: signedIn });
    const error = await screen.findByTestId('create-regions-error');
    expect(error).toHaveTextContent('Offline.');
    await user.type(screen.getByTestId('create-region'), 'ap-south-1');
    await user.click(within(error).getByTestId('retry-button'));
    await waitFor(() => expect(screen.queryByTestId('create-regions-error')).not.toBeInTheDocument());
    expect(fake.api.listRegions).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('create-region')).toHaveValue('ap-south-1'); // typed value kept
  });

  it("shows Rust's answers for the name and env keys as typed; submit disabled until they pass", async () => {
    const { user, fake } = await setup();
    // Scripted answers: the rules themselves are Rust's (app_core::checks).
    fake.fieldProblems.projectName = (text) =>
      ({ 'My-App': 'This name has characters that are not allowed.', 'my-app-': 'This name starts or ends with a hyphen.' })[text] ?? null;
    fake.envRowCheck = (rows) =>
      rows.map((row, i) =>
        row.key === '1BAD'
          ? '"1BAD" is not a valid environment variable name.'
          : rows.findIndex((r) => r.key === row.key) < i
            ? `${row.key} is already set in a row above.`
            : null,
      );
    const submit = screen.getByTestId('create-submit');
    expect(submit).toBeEnabled(); // name optional, region defaulted

    const name = screen.getByTestId('create-name');
    await user.type(name, 'My-App');
    expect(await screen.findByTestId('create-name-error')).toHaveTextContent('not allowed');
    expect(fake.api.checkField).toHaveBeenLastCalledWith({ rule: 'projectName', text: 'My-App' });
    expect(submit).toBeDisabled();
    await user.clear(name);
    await user.type(name, 'my-app-');
    await waitFor(() => expect(screen.getByTestId('create-name-error')).toHaveTextContent('hyphen'));
    await user.clear(name);
    await user.type(name, 'my-app');
    await waitFor(() => expect(screen.queryByTestId('create-name-error')).not.toBeInTheDocument());
    expect(submit).toBeEnabled();

    await user.click(screen.getByTestId('create-env-add'));
    await user.type(screen.getAllByTestId('create-env-key')[0]!, '1BAD');
    expect(await screen.findByTestId('create-env-key-error')).toHaveTextContent('not a valid environment variable name');
    expect(submit).toBeDisabled();
    await user.clear(screen.getAllByTestId('create-env-key')[0]!);
    await user.type(screen.getAllByTestId('create-env-key')[0]!, 'API_KEY');
    await waitFor(() => expect(screen.queryByTestId('create-env-key-error')).not.toBeInTheDocument());

    await user.click(screen.getByTestId('create-env-add'));
    await user.type(screen.getAllByTestId('create-env-key')[1]!, 'API_KEY');
    expect(await screen.findByTestId('create-env-key-error')).toHaveTextContent('already set in a row above');
    expect(fake.api.checkEnvRows).toHaveBeenLastCalledWith([
      { key: 'API_KEY', value: '' },
      { key: 'API_KEY', value: '' },
    ]);
    expect(submit).toBeDisabled();
    await user.click(screen.getAllByTestId('create-env-remove')[1]!);
    expect(screen.getAllByTestId('create-env-row')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByTestId('create-env-key-error')).not.toBeInTheDocument());
    expect(submit).toBeEnabled();

    const region = screen.getByTestId('create-region');
    await user.clear(region);
    expect(screen.getByTestId('create-region-error')).toHaveTextContent('Choose or type a region');
    expect(submit).toBeDisabled();
  });

  it('warns that cloud_free_v2 with env vars is known to fail', async () => {
    const { user } = await setup();
    await user.selectOptions(screen.getByTestId('create-plan'), 'cloud_free_v2');
    expect(screen.queryByTestId('create-free-v2-warning')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('create-env-add'));
    await user.type(screen.getAllByTestId('create-env-key')[0]!, 'A');
    expect(screen.getByTestId('create-free-v2-warning')).toHaveTextContent('known to fail');
  });

  it('has friendly plan labels', async () => {
    await setup();
    const labels = within(screen.getByTestId('create-plan'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(labels).toEqual([
      'Free (cloud_free)',
      'Professional (cloud_payg)',
      'Free (v2) (cloud_free_v2)',
      'Shared (cloud_shared)',
    ]);
  });

  it('submits the right arguments, shows progress, then opens the new project', async () => {
    const { fake, ctx, user } = await setup();
    await user.click(screen.getByTestId('create-cloud-gcp'));
    await user.clear(screen.getByTestId('create-region'));
    await user.type(screen.getByTestId('create-region'), 'europe-west1');
    await user.selectOptions(screen.getByTestId('create-plan'), 'cloud_payg');
    await user.type(screen.getByTestId('create-name'), 'shop-staging');
    await user.click(screen.getByTestId('create-env-add'));
    await user.type(screen.getAllByTestId('create-env-key')[0]!, 'HASURA_GRAPHQL_DEV_MODE');
    await user.type(screen.getAllByTestId('create-env-value')[0]!, 'true');
    await user.click(screen.getByTestId('create-env-add')); // a blank row: Rust leaves it out

    const release = fake.hold('createProject');
    await user.click(screen.getByTestId('create-submit'));
    expect(screen.getByTestId('create-progress')).toBeInTheDocument();
    expect(screen.getByTestId('create-submit')).toBeDisabled();
    release();

    await waitFor(() => expect(ctx.nav.route.name).toBe('project'));
    expect(fake.api.createProject).toHaveBeenCalledWith({
      cloud: 'gcp',
      region: 'europe-west1',
      plan: 'cloud_payg',
      name: 'shop-staging',
      // Sent as typed: which rows count is Rust's to decide (checks::filled_rows).
      envs: [
        { key: 'HASURA_GRAPHQL_DEV_MODE', value: 'true' },
        { key: '', value: '' },
      ],
    });
    const created = fake.projects.at(-1)!;
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: created.id });
  });

  it('sends name null when empty', async () => {
    const { fake, user } = await setup();
    await user.click(screen.getByTestId('create-submit'));
    await waitFor(() => expect(fake.api.createProject).toHaveBeenCalled());
    expect(fake.api.createProject).toHaveBeenCalledWith({
      cloud: 'aws',
      region: 'us-east-2',
      plan: 'cloud_free',
      name: null,
      envs: [],
    });
  });

  it('server invalidInput lands on the named field and everything typed survives', async () => {
    const { fake, ctx, user } = await setup();
    await user.type(screen.getByTestId('create-name'), 'taken-name');
    await user.click(screen.getByTestId('create-env-add'));
    await user.type(screen.getAllByTestId('create-env-key')[0]!, 'KEY');
    await user.type(screen.getAllByTestId('create-env-value')[0]!, 'secret-value');

    fake.fail('createProject', err('invalidInput', 'A project with this name exists.', { field: 'name' }));
    await user.click(screen.getByTestId('create-submit'));
    expect(await screen.findByTestId('create-name-error')).toHaveTextContent('A project with this name exists.');
    expect(screen.getByTestId('create-name')).toHaveFocus();
    expect(screen.queryByTestId('create-error')).not.toBeInTheDocument();
    expect(screen.getByTestId('create-name')).toHaveValue('taken-name');
    expect(screen.getAllByTestId('create-env-key')[0]).toHaveValue('KEY');
    expect(screen.getAllByTestId('create-env-value')[0]).toHaveValue('secret-value');
    expect(ctx.nav.route.name).not.toBe('project');

    fake.fail('createProject', err('invalidInput', 'Unknown region.', { field: 'region' }));
    await user.clear(screen.getByTestId('create-name'));
    await user.type(screen.getByTestId('create-name'), 'free-name');
    await user.click(screen.getByTestId('create-submit'));
    expect(await screen.findByTestId('create-region-error')).toHaveTextContent('Unknown region.');

    fake.fail('createProject', err('invalidInput', 'Env keys must be unique.', { field: 'envs' }));
    await user.click(screen.getByTestId('create-submit'));
    expect(await screen.findByTestId('create-envs-error')).toHaveTextContent('Env keys must be unique.');
  });

  it('other server errors show at the top, and the form keeps its values', async () => {
    const { fake, user } = await setup();
    await user.type(screen.getByTestId('create-name'), 'my-app');
    fake.fail('createProject', err('server', 'GenericServerError', { code: 'unexpected', requestId: 'abc-123' }));
    await user.click(screen.getByTestId('create-submit'));
    const top = await screen.findByTestId('create-error');
    expect(top).toHaveTextContent('GenericServerError');
    expect(top).toHaveTextContent('abc-123');
    expect(screen.getByTestId('create-name')).toHaveValue('my-app');
    expect(screen.getByTestId('create-submit')).toBeEnabled();
  });
});
