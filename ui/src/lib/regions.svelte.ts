// The region list behind a "Region" field: loaded once per form, filtered by cloud, with a
// preferred default per cloud and the rule for keeping or replacing the region when the cloud changes.
import { asApiError, type ApiError, type RegionChoices } from './types';

const PREFERRED_REGION: Record<string, string> = { aws: 'us-east-2', gcp: 'us-central1', azure: 'eastus' };

export class RegionList {
  choices = $state.raw<RegionChoices | null>(null);
  state = $state<'loading' | 'ready' | 'error'>('loading');
  error = $state.raw<ApiError | null>(null);

  /** `onready` runs as soon as the list is in (first load and retries), e.g. to fill an empty region. */
  constructor(
    private readonly loadChoices: () => Promise<RegionChoices>,
    private readonly onready: () => void = () => {},
  ) {}

  async load(): Promise<void> {
    this.state = 'loading';
    this.error = null;
    try {
      this.choices = await this.loadChoices();
      this.state = 'ready';
      this.onready();
    } catch (e) {
      this.error = asApiError(e);
      this.state = 'error';
    }
  }

  namesFor(cloud: string): string[] {
    return (this.choices?.regions ?? []).filter((r) => r.cloud === cloud).map((r) => r.name);
  }

  /** The region's NAT IP as Hasura Cloud gave it, or null. */
  natIpOf(cloud: string, region: string): string | null {
    return (this.choices?.regions ?? []).find((r) => r.cloud === cloud && r.name === region.trim())?.natIp ?? null;
  }

  defaultFor(cloud: string): string {
    const names = this.namesFor(cloud);
    const preferred = PREFERRED_REGION[cloud];
    return preferred && names.includes(preferred) ? preferred : (names[0] ?? '');
  }

  /** After a cloud change: the region to switch to, or null to keep `region` (typed, or also in `cloud`). */
  regionForCloud(region: string, cloud: string): string | null {
    const all = this.choices?.regions ?? [];
    const elsewhere =
      all.some((r) => r.name === region && r.cloud !== cloud) && !all.some((r) => r.name === region && r.cloud === cloud);
    return region.trim() === '' || elsewhere ? this.defaultFor(cloud) : null;
  }
}
