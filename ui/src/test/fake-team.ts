// The fake API's collaborators: one project's owner, collaborators and invitations, with the
// plan's offer; `hidden` makes a token that sees none of it.
import type { CollaboratorView, InvitationView, Privilege, PrivilegeChoice, TeamOutcome, TeamView } from '../lib/types';

const NAMES: Record<string, string> = { admin: 'Admin', graphql_admin: 'Execute GraphQL', view_metrics: 'View Metrics' };
const DASHBOARD = 'https://cloud.hasura.io/project/p/collaborators';

export function privilege(slug: string): Privilege {
  return { slug, name: NAMES[slug] ?? slug };
}

function slugs(choice: PrivilegeChoice): string[] {
  if (choice.admin) return ['admin'];
  return [...(choice.executeGraphql ? ['graphql_admin'] : []), ...(choice.viewMetrics ? ['view_metrics'] : [])];
}

export class FakeTeam {
  /** A token whose schema has no collaborators. */
  hidden = false;
  owner = 'owner@example.com';
  offered = ['admin', 'graphql_admin', 'view_metrics'];
  limit: number | null = 10;
  collaborators: CollaboratorView[] = [];
  invitations: InvitationView[] = [];
  #next = 1;

  #outcome(message: string): TeamOutcome {
    if (this.hidden) {
      return {
        available: false,
        message: `This access token cannot manage collaborators. Manage them in the Hasura Cloud dashboard: ${DASHBOARD}`,
        dashboardUrl: DASHBOARD,
      };
    }
    return { available: true, message, dashboardUrl: DASHBOARD };
  }

  view(): TeamView {
    const used = this.collaborators.length + this.invitations.length;
    return {
      available: !this.hidden,
      message: this.hidden ? this.#outcome('').message : null,
      dashboardUrl: DASHBOARD,
      ownerEmail: this.hidden ? null : this.owner,
      collaborators: this.hidden ? [] : structuredClone(this.collaborators),
      invitations: this.hidden ? [] : structuredClone(this.invitations),
      offered: this.hidden ? [] : this.offered.map(privilege),
      limit: this.hidden ? null : this.limit,
      used: this.hidden ? 0 : used,
      canInvite: !this.hidden && (this.limit === null || used < this.limit),
    };
  }

  invite(email: string, choice: PrivilegeChoice): TeamOutcome {
    if (!this.hidden) {
      this.invitations.push({
        id: `i-${this.#next++}`,
        email: email.trim(),
        invitedAt: '2026-12-01T10:00:00.000000+00:00',
        privileges: slugs(choice).map(privilege),
        resendCount: 0,
      });
    }
    return this.#outcome(`Invitation sent to ${email.trim()}.`);
  }

  resend(email: string): TeamOutcome {
    const i = this.invitations.find((x) => x.email === email);
    if (i && !this.hidden) i.resendCount += 1;
    return this.#outcome(`Invitation sent again to ${email}.`);
  }

  revoke(id: string, email: string): TeamOutcome {
    if (!this.hidden) this.invitations = this.invitations.filter((i) => i.id !== id);
    return this.#outcome(`The invitation to ${email} is revoked.`);
  }

  change(id: string, choice: PrivilegeChoice): TeamOutcome {
    const c = this.collaborators.find((x) => x.id === id);
    if (c && !this.hidden) c.privileges = slugs(choice).map(privilege);
    return this.#outcome(`${c?.email ?? id} now has ${slugs(choice).map((s) => NAMES[s]).join(' + ')}.`);
  }

  remove(id: string): TeamOutcome {
    const c = this.collaborators.find((x) => x.id === id);
    if (!this.hidden) this.collaborators = this.collaborators.filter((x) => x.id !== id);
    return this.#outcome(`${c?.email ?? id} is no longer a collaborator.`);
  }
}
