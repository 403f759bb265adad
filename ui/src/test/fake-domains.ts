// The fake API's custom domains and plans: a list per tenant, a watch that answers the state a
// test scripts (`settleAs`), and plan choices; `hidden` makes a token that sees none of it.
import type {
  ChangePlanInput,
  CustomDomainView,
  CustomDomainsView,
  DnsValidation,
  PlanChangeOutcome,
  PlanChoices,
} from '../lib/types';

const WORDS: Record<DnsValidation, [string, string]> = {
  pending: ['DNS validation pending', 'Waiting for the CNAME record. Up to 24 hours is normal while DNS changes spread.'],
  validated: ['DNS validated', 'The domain points to the project.'],
  failed: ['DNS validation failed', 'The domain does not point to the project.'],
  other: ['DNS validation: other', ''],
};

export function domainView(fqdn: string, validation: DnsValidation = 'pending', id = `d-${fqdn}`): CustomDomainView {
  const [status, hint] = WORDS[validation];
  return {
    id,
    fqdn,
    validation,
    status,
    hint,
    certificate: validation === 'validated' ? "Let's Encrypt certificate" : 'No certificate yet',
    createdAt: '2026-12-01T10:00:00.000000+00:00',
  };
}

export class FakeDomains {
  /** A token whose schema has no custom domains and no changePlan. */
  hidden = false;
  slug = 'shop';
  domains: CustomDomainView[] = [];
  /** What the watch answers; `null` keeps the watch pending until a test releases it. */
  settleAs: DnsValidation | null = 'validated';
  #release: (() => void)[] = [];
  plan = 'cloud_free';
  productionName: string | null = null;
  changes: ChangePlanInput[] = [];

  view(): CustomDomainsView {
    const target = `${this.slug}.hasura.app`;
    return {
      available: !this.hidden,
      message: this.hidden
        ? 'This access token cannot use custom domains. Manage them in the Hasura Cloud dashboard: https://cloud.hasura.io/project/p/domain'
        : null,
      dashboardUrl: 'https://cloud.hasura.io/project/p/domain',
      cnameTarget: target,
      renameNote: `The CNAME target is the project's own host name, ${target}: renaming the project changes it.`,
      domains: this.hidden ? [] : structuredClone(this.domains),
    };
  }

  add(fqdn: string): CustomDomainView {
    const domain = domainView(fqdn.trim().toLowerCase());
    this.domains.push(domain);
    return structuredClone(domain);
  }

  remove(id: string): void {
    this.domains = this.domains.filter((d) => d.id !== id);
  }

  async watch(id: string): Promise<CustomDomainView> {
    if (this.settleAs === null) await new Promise<void>((r) => this.#release.push(r));
    const i = this.domains.findIndex((d) => d.id === id);
    const settled = domainView(this.domains[i]!.fqdn, this.settleAs ?? 'validated', id);
    this.domains[i] = settled;
    return structuredClone(settled);
  }

  /** What Rust's stop does: held watches end with the domain as last read (pending). */
  stopWatches(): void {
    const held = this.settleAs;
    this.release('pending');
    this.settleAs = held;
  }

  /** Lets held watches end, as `state`. */
  release(state: DnsValidation): void {
    this.settleAs = state;
    for (const r of this.#release.splice(0)) r();
  }

  choices(): PlanChoices {
    const all: [string, string][] = [
      ['cloud_free', 'Free'],
      ['cloud_payg', 'Professional (pay as you go)'],
    ];
    return {
      current: this.plan,
      currentLabel: all.find(([p]) => p === this.plan)?.[1] ?? this.plan,
      choices: all
        .filter(([p]) => p !== this.plan)
        .map(([plan, label]) => ({
          plan,
          label,
          notes:
            plan === 'cloud_free'
              ? ['Moving back to Free is charged up to the end of today.', 'A project in maintenance mode cannot change its plan.']
              : ['A project in maintenance mode cannot change its plan.'],
        })),
      productionName: this.productionName,
      dashboardUrl: 'https://cloud.hasura.io/project/p/details',
    };
  }

  change(input: ChangePlanInput): PlanChangeOutcome {
    this.changes.push(structuredClone(input));
    if (this.hidden) {
      return {
        available: false,
        message: 'This access token cannot change plans. Change it in the Hasura Cloud dashboard: https://cloud.hasura.io/project/p/details',
        dashboardUrl: 'https://cloud.hasura.io/project/p/details',
        plan: this.plan,
      };
    }
    this.plan = input.plan;
    return { available: true, message: `shop is now on the ${input.plan} plan.`, dashboardUrl: '', plan: input.plan };
  }
}
