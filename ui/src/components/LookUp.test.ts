import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import LookUp from './LookUp.svelte';
import { cloudProfile, createFake, err, makeProject } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

const project = makeProject(5, { name: 'orders' });

async function setup(script: (fake: ReturnType<typeof createFake>) => void = () => {}) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
  script(fake);
  const r = await renderWith(LookUp, fake, { prepare: signedIn });
  return { fake, ...r };
}

describe('LookUp', () => {
  it("shows Rust's answer for an id that is not one, and sends nothing", async () => {
    // Scripted answers; the rule is Rust's (project and tenant ids are UUIDs).
    const notAnId = (text: string) => (text === project.id || text === project.tenantId ? null : 'This is not an id: an id looks like 123e4567-e89b-12d3-a456-426614174000.');
    const { fake, user } = await setup((fake) => {
      fake.fieldProblems.projectId = notAnId;
      fake.fieldProblems.tenantId = notAnId;
    });
    const input = screen.getByTestId('lookup-project-id');
    await user.type(input, 'not-a-uuid');
    await user.click(screen.getByTestId('lookup-project-submit'));
    expect(await screen.findByTestId('lookup-project-id-error')).toHaveTextContent('123e4567-e89b');
    expect(fake.api.checkField).toHaveBeenLastCalledWith({ rule: 'projectId', text: 'not-a-uuid' });
    expect(fake.api.findTenantId).not.toHaveBeenCalled();

    await user.clear(input);
    await user.type(input, project.id.slice(0, 35) + 'x');
    await waitFor(() => expect(screen.getByTestId('lookup-project-id-error')).toBeInTheDocument());

    await user.click(screen.getByTestId('lookup-tenant-submit'));
    expect(await screen.findByTestId('lookup-tenant-id-error')).toHaveTextContent('not an id');
    expect(fake.api.tenantDetails).not.toHaveBeenCalled();
  });

  it('project id → tenant id: loading, result with copy, and on to the details', async () => {
    const { fake, ctx, user } = await setup();
    await user.type(screen.getByTestId('lookup-project-id'), project.id);
    const release = fake.hold('findTenantId');
    await user.click(screen.getByTestId('lookup-project-submit'));
    expect(screen.getByTestId('lookup-project-loading')).toBeInTheDocument();
    release();

    const result = await screen.findByTestId('lookup-tenant-result');
    expect(fake.api.findTenantId).toHaveBeenCalledWith(project.id);
    expect(within(result).getByTestId('lookup-tenant-result-value')).toHaveTextContent(project.tenantId!);
    expect(within(result).getByTestId('copy-lookup-tenant-id')).toBeInTheDocument();

    await user.click(within(result).getByTestId('lookup-show-tenant'));
    const details = await screen.findByTestId('lookup-tenant-details');
    expect(fake.api.tenantDetails).toHaveBeenCalledWith(project.tenantId);
    expect(details).toHaveTextContent('orders');
    expect(details).toHaveTextContent(project.endpoint);
    expect(screen.getByTestId('lookup-tenant-id')).toHaveValue(project.tenantId);

    await user.click(screen.getByTestId('lookup-open-project'));
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: project.id });
  });

  it('not found is shown without a Retry', async () => {
    const { user } = await setup();
    await user.type(screen.getByTestId('lookup-tenant-id'), '99999999-0000-4000-8000-000000000000');
    await user.click(screen.getByTestId('lookup-tenant-submit'));
    const error = await screen.findByTestId('lookup-tenant-error');
    expect(error).toHaveTextContent('No tenant with this id.');
    expect(within(error).queryByTestId('retry-button')).not.toBeInTheDocument();
  });

  it('network errors show with a Retry that retries', async () => {
    const { fake, user } = await setup();
    fake.fail('findTenantId', err('network', 'Could not reach Hasura Cloud.'));
    await user.type(screen.getByTestId('lookup-project-id'), project.id);
    await user.click(screen.getByTestId('lookup-project-submit'));
    const error = await screen.findByTestId('lookup-project-error');
    expect(error).toHaveTextContent('Could not reach Hasura Cloud.');
    await user.click(within(error).getByTestId('retry-button'));
    await waitFor(() => expect(screen.getByTestId('lookup-tenant-result')).toBeInTheDocument());
    expect(fake.api.findTenantId).toHaveBeenCalledTimes(2);
  });

  it('tokenRejected offers to sign in again', async () => {
    const { fake, ctx, user } = await setup();
    fake.fail('tenantDetails', err('tokenRejected', 'Hasura Cloud rejected this token.'));
    await user.type(screen.getByTestId('lookup-tenant-id'), project.tenantId!);
    await user.click(screen.getByTestId('lookup-tenant-submit'));
    const error = await screen.findByTestId('lookup-tenant-error');
    await user.click(within(error).getByTestId('sign-in-again'));
    expect(ctx.nav.route).toEqual({ name: 'signIn', profileId: 'p-work' });
  });
});
