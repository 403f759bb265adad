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

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateFmt.format(t);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTimeFmt.format(t);
}

/** With seconds: for events minutes apart or less (the snapshots of one session). */
export function formatDateTimePrecise(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : preciseFmt.format(t);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
