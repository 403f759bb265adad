import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import CustomDomains from './CustomDomains.svelte';
import ChangePlanDialog from './ChangePlanDialog.svelte';
import { cloudProfile, createFake, err, makeProject } from '../test/fake-api';
import { domainView } from '../test/fake-domains';
import { renderWith, signedIn } from '../test/render';

const project = makeProject(1, { name: 'shop', slug: 'shop' });

async function setup(prepare?: (fake: ReturnType<typeof createFake>) => void) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
  prepare?.(fake);
  const r = await renderWith(CustomDomains, fake, {
    props: { tenantId: project.tenantId!, projectId: project.id },
    prepare: signedIn,
  });
  return { fake, ...r };
}

describe('CustomDomains', () => {
  it('lists domains with their validation and certificate', async () => {
    await setup((fake) => {
      fake.domains.domains = [domainView('api.example.com', 'validated'), domainView('old.example.com', 'failed')];
    });
    const rows = await screen.findAllByTestId('domain-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByTestId('domain-status')).toHaveTextContent('DNS validated');
    expect(within(rows[0]!).getByTestId('domain-certificate')).toHaveTextContent("Let's Encrypt certificate");
    expect(within(rows[1]!).getByTestId('domain-status')).toHaveTextContent('DNS validation failed');
    expect(screen.getByTestId('domains-rename-note')).toHaveTextContent('renaming the project changes it');
  });

  it('adds a domain: the CNAME to create with copy, then follows it to validated', async () => {
    const { fake, user } = await setup((fake) => {
      fake.domains.settleAs = null; // the watch waits until released
    });
    await user.type(await screen.findByTestId('domain-input'), 'API.example.com');
    await user.click(screen.getByTestId('domain-add'));

    const record = await screen.findByTestId('domain-record');
    expect(within(record).getByTestId('record-name')).toHaveTextContent('api.example.com');
    expect(within(record).getByTestId('record-target')).toHaveTextContent('shop.hasura.app');
    expect(within(record).getByTestId('copy-record-target')).toBeInTheDocument();
    expect(screen.getByTestId('domain-status')).toHaveTextContent('DNS validation pending');
    expect(screen.getByTestId('domain-hint')).toHaveTextContent('Up to 24 hours is normal');
    expect(screen.getByTestId('domain-watching')).toBeInTheDocument();
    expect(fake.api.watchCustomDomain).toHaveBeenCalledWith(project.tenantId, 'd-api.example.com');

    fake.domains.release('validated');
    await waitFor(() => expect(screen.getByTestId('domain-status')).toHaveTextContent('DNS validated'));
    expect(screen.queryByTestId('domain-watching')).toBeNull();
  });

  it('leaving the page stops the watch Rust runs for it, and only then', async () => {
    const { fake, user, result } = await setup((fake) => {
      fake.domains.settleAs = null;
    });
    await user.type(await screen.findByTestId('domain-input'), 'api.example.com');
    await user.click(screen.getByTestId('domain-add'));
    await screen.findByTestId('domain-watching');
    expect(fake.api.stopDomainWatches).not.toHaveBeenCalled();
    result.unmount();
    expect(fake.api.stopDomainWatches).toHaveBeenCalledTimes(1);
  });

  it('shows Rust’s word on the name as typed and the service’s refusal by the field', async () => {
    const { fake, user } = await setup((fake) => {
      fake.fieldProblems.domainName = (t) => (t.includes('://') ? 'Type the domain name alone, without https://.' : null);
    });
    await user.type(await screen.findByTestId('domain-input'), 'https://x.example.com');
    expect(await screen.findByTestId('domain-add-error')).toHaveTextContent('without https://');
    expect(screen.getByTestId('domain-add')).toBeDisabled();

    await user.clear(screen.getByTestId('domain-input'));
    fake.api.addCustomDomain.mockRejectedValueOnce(
      err('invalidInput', 'x.example.com is already added to a Hasura Cloud project (this one or another).', { field: 'fqdn' }),
    );
    await user.type(screen.getByTestId('domain-input'), 'x.example.com');
    await user.click(screen.getByTestId('domain-add'));
    expect(await screen.findByTestId('domain-add-error')).toHaveTextContent('already added');
  });

  it('deletes a domain only after confirming', async () => {
    const { fake, user } = await setup((fake) => {
      fake.domains.domains = [domainView('api.example.com', 'validated')];
    });
    await user.click(await screen.findByTestId('domain-delete'));
    const dialog = screen.getByTestId('domain-delete-dialog');
    expect(dialog).toHaveTextContent('Delete api.example.com?');
    await user.click(within(dialog).getByTestId('domain-delete-cancel'));
    expect(fake.api.deleteCustomDomain).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('domain-delete'));
    await user.click(screen.getByTestId('domain-delete-confirm'));
    await waitFor(() => expect(screen.queryByTestId('domain-row')).toBeNull());
    expect(fake.api.deleteCustomDomain).toHaveBeenCalledWith(project.tenantId, 'd-api.example.com');
  });

  it('a token that cannot use custom domains is told so and offered the dashboard', async () => {
    const { fake, user } = await setup((fake) => {
      fake.domains.hidden = true;
    });
    expect(await screen.findByTestId('domains-not-available')).toHaveTextContent('cannot use custom domains');
    expect(screen.queryByTestId('domain-add-form')).toBeNull();
    await user.click(screen.getByTestId('domains-open-dashboard'));
    expect(fake.api.openExternal).toHaveBeenCalledWith(project.id, 'dashboardDomains');
  });
});

describe('ChangePlanDialog', () => {
  async function open(prepare?: (fake: ReturnType<typeof createFake>) => void) {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    prepare?.(fake);
    const done: string[] = [];
    const r = await renderWith(ChangePlanDialog, fake, {
      props: { tenantId: project.tenantId!, projectId: project.id, onclose: () => {}, ondone: (p: string) => done.push(p) },
      prepare: signedIn,
    });
    return { fake, done, ...r };
  }

  it('says what a move to Free means, then changes the plan', async () => {
    const { fake, user, done } = await open((fake) => {
      fake.domains.plan = 'cloud_payg';
    });
    expect(await screen.findByTestId('plan-current')).toHaveTextContent('Professional');
    expect(screen.getByTestId('plan-submit')).toBeDisabled();
    await user.click(screen.getByTestId('plan-choice-cloud_free'));
    expect(screen.getByTestId('plan-notes')).toHaveTextContent('charged up to the end of today');
    expect(screen.getByTestId('plan-notes')).toHaveTextContent('maintenance mode');
    await user.click(screen.getByTestId('plan-submit'));
    await waitFor(() => expect(done).toEqual(['cloud_free']));
    expect(fake.domains.changes).toEqual([{ tenantId: project.tenantId, plan: 'cloud_free', confirmName: null }]);
  });

  it('asks for the name of a production project', async () => {
    const { fake, user, done } = await open((fake) => {
      fake.domains.productionName = 'shop';
    });
    await user.click(await screen.findByTestId('plan-choice-cloud_payg'));
    expect(screen.getByTestId('plan-submit')).toBeDisabled();
    await user.type(screen.getByTestId('plan-confirm-input'), 'shop');
    await user.click(screen.getByTestId('plan-submit'));
    await waitFor(() => expect(done).toEqual(['cloud_payg']));
    expect(fake.domains.changes[0]!.confirmName).toBe('shop');
  });

  it('a token that cannot change plans is told so and offered the dashboard', async () => {
    const { fake, user, done } = await open((fake) => {
      fake.domains.hidden = true;
    });
    await user.click(await screen.findByTestId('plan-choice-cloud_payg'));
    await user.click(screen.getByTestId('plan-submit'));
    expect(await screen.findByTestId('plan-not-available')).toHaveTextContent('cannot change plans');
    expect(done).toEqual([]);
    await user.click(screen.getByTestId('plan-open-dashboard'));
    expect(fake.api.openExternal).toHaveBeenCalledWith(project.id, 'dashboardPlan');
  });
});
