// Display helpers: friendly labels and dates.

const PLAN_LABELS: Record<string, string> = {
  cloud_free: 'Free',
  cloud_payg: 'Professional',
  cloud_free_v2: 'Free (v2)',
  cloud_shared: 'Shared',
};

const CLOUD_LABELS: Record<string, string> = {
  aws: 'AWS',
  gcp: 'Google Cloud',
  azure: 'Azure',
  do: 'DigitalOcean',
};

export function planLabel(plan: string | null | undefined): string {
  if (!plan) return '—';
  return PLAN_LABELS[plan] ?? plan;
}

export function cloudLabel(cloud: string | null | undefined): string {
  if (!cloud) return '—';
  return CLOUD_LABELS[cloud] ?? cloud;
}

export function regionLabel(region: string | null | undefined, cloud: string | null | undefined): string {
  if (!region && !cloud) return '—';
  if (!cloud) return region ?? '—';
  if (!region) return cloudLabel(cloud);
  return `${region} · ${cloudLabel(cloud)}`;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const preciseFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An RFC 3339 time with `fmt`; '—' for none, the text itself when it does not parse. */
function formatIso(fmt: Intl.DateTimeFormat, iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : fmt.format(t);
}

export const formatDate = (iso: string | null | undefined): string => formatIso(dateFmt, iso);

export const formatDateTime = (iso: string | null | undefined): string => formatIso(dateTimeFmt, iso);

/** With seconds: for events minutes apart or less (the snapshots of one session). */
export const formatDateTimePrecise = (iso: string | null | undefined): string => formatIso(preciseFmt, iso);

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
