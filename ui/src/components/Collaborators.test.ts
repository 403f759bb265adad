import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import Collaborators from './Collaborators.svelte';
import { cloudProfile, createFake, makeProject } from '../test/fake-api';
import { privilege } from '../test/fake-team';
import { renderWith, signedIn } from '../test/render';

const project = makeProject(1, { name: 'shop', slug: 'shop' });

async function setup(prepare?: (fake: ReturnType<typeof createFake>) => void) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
  prepare?.(fake);
  const r = await renderWith(Collaborators, fake, {
    props: { tenantId: project.tenantId!, projectId: project.id },
    prepare: signedIn,
  });
  return { fake, ...r };
}

describe('Collaborators', () => {
  it('shows the owner, collaborators with names beside slugs, invitations with when they were sent, and the limit', async () => {
    await setup((fake) => {
      fake.team.collaborators = [{ id: 'c-1', email: 'bo@example.com', status: 'active', privileges: [privilege('graphql_admin')] }];
      fake.team.invitations = [
        { id: 'i-9', email: 'ana@example.com', invitedAt: '2026-12-01T10:00:00.000000+00:00', privileges: [privilege('view_metrics')], resendCount: 0 },
      ];
    });
    expect(await screen.findByTestId('team-owner')).toHaveTextContent('owner@example.com');
    expect(screen.getByTestId('team-limit')).toHaveTextContent('2 of 10');
    const row = screen.getByTestId('collaborator-row');
    expect(within(row).getByTestId('collaborator-privileges')).toHaveTextContent('Execute GraphQL graphql_admin');
    const invitation = screen.getByTestId('invitation-row');
    expect(invitation).toHaveTextContent('View Metrics');
    expect(within(invitation).getByTestId('invitation-sent')).toHaveTextContent(/sent .*2026/);
  });

  it('invites with View Metrics, then resends and revokes the invitation', async () => {
    const { fake, user } = await setup();
    await user.type(await screen.findByTestId('invite-email'), 'ana@example.com');
    await user.click(screen.getByTestId('invite-graphql'));
    await user.click(screen.getByTestId('invite-metrics'));
    await user.click(screen.getByTestId('invite-send'));
    expect(fake.api.inviteCollaborator).toHaveBeenCalledWith({
      tenantId: project.tenantId,
      email: 'ana@example.com',
      privileges: { admin: false, executeGraphql: false, viewMetrics: true },
    });
    const invitation = await screen.findByTestId('invitation-row');
    expect(invitation).toHaveTextContent('View Metrics');

    await user.click(within(invitation).getByTestId('invitation-resend'));
    await waitFor(() => expect(screen.getByTestId('invitation-sent')).toHaveTextContent('resent 1×'));
    await user.click(screen.getByTestId('invitation-revoke'));
    expect(await screen.findByTestId('invitations-empty')).toBeInTheDocument();
  });

  it('shows Rust’s word on the email as typed and offers only what the plan allows', async () => {
    const { user } = await setup((fake) => {
      fake.fieldProblems.email = (t) => (t.includes('@') ? null : 'An email address has an @, like name@example.com.');
      fake.team.offered = ['admin', 'graphql_admin'];
    });
    await user.type(await screen.findByTestId('invite-email'), 'ana');
    expect(await screen.findByTestId('invite-error')).toHaveTextContent('has an @');
    expect(screen.getByTestId('invite-send')).toBeDisabled();
    expect(screen.getByTestId('invite-metrics')).toBeDisabled();
    expect(screen.getByText("(not on this project's plan)")).toBeInTheDocument();
  });

  it('changes privileges and removes a collaborator once the email is typed', async () => {
    const { fake, user } = await setup((fake) => {
      fake.team.collaborators = [{ id: 'c-1', email: 'bo@example.com', status: 'active', privileges: [privilege('graphql_admin')] }];
    });
    await user.click(await screen.findByTestId('collaborator-edit'));
    await user.click(screen.getByTestId('edit-metrics'));
    await user.click(screen.getByTestId('collaborator-edit-save'));
    expect(fake.api.changeCollaboratorPrivileges).toHaveBeenCalledWith(project.tenantId, 'c-1', {
      admin: false,
      executeGraphql: true,
      viewMetrics: true,
    });
    await waitFor(() => expect(screen.getByTestId('collaborator-privileges')).toHaveTextContent('View Metrics'));

    await user.click(screen.getByTestId('collaborator-remove'));
    const confirm = screen.getByTestId('collaborator-remove-confirm');
    expect(confirm).toBeDisabled();
    await user.type(screen.getByTestId('collaborator-remove-input'), 'bo@example.com');
    await user.click(confirm);
    expect(fake.api.removeCollaborator).toHaveBeenCalledWith(project.tenantId, 'c-1', 'bo@example.com');
    expect(await screen.findByTestId('team-empty')).toBeInTheDocument();
  });

  it('says plainly when the token cannot see collaborators and links to the dashboard', async () => {
    const { fake, user } = await setup((fake) => {
      fake.team.hidden = true;
    });
    expect(await screen.findByTestId('team-not-available')).toHaveTextContent('cannot manage collaborators');
    expect(screen.queryByTestId('team-error')).toBeNull();
    await user.click(screen.getByTestId('team-open-dashboard'));
    expect(fake.api.openExternal).toHaveBeenCalledWith(project.id, 'dashboardCollaborators');
  });
});
