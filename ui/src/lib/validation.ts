// Pure validation shared by forms. Mirrors the rules app-core applies before sending
// (docs/ipc-contract.md), so people see problems while typing, not after a round trip.

export const DEFAULT_ENDPOINT = 'https://data.pro.hasura.io/v1/graphql';

export const CLOUDS = ['aws', 'gcp', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const PLANS = ['cloud_free', 'cloud_payg', 'cloud_free_v2', 'cloud_shared'] as const;
export type Plan = (typeof PLANS)[number];

/** A project name: 3–40 lowercase letters, digits and hyphens, not starting or ending with '-'. */
export function projectNameError(name: string): string | null {
  if (name.length === 0) return 'Enter a name.';
  if (/[A-Z]/.test(name)) return 'Use lowercase letters only.';
  if (/[^a-z0-9-]/.test(name)) return 'Use only lowercase letters, digits and hyphens.';
  if (name.startsWith('-') || name.endsWith('-')) return 'The name cannot start or end with a hyphen.';
  if (name.length < 3) return 'The name needs at least 3 characters.';
  if (name.length > 40) return `The name can have at most 40 characters (it has ${name.length}).`;
  return null;
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An env var key: a letter or underscore, then letters, digits or underscores. */
export function envKeyError(key: string): string | null {
  if (key.length === 0) return 'Enter a key.';
  if (/^[0-9]/.test(key)) return 'A key cannot start with a digit.';
  if (!ENV_KEY.test(key)) return 'Use only letters, digits and underscores.';
  return null;
}

export interface EnvRowDraft {
  id: number;
  key: string;
  value: string;
}

/** Errors per row id. Rows with neither key nor value are ignored (they are not sent). */
export function envRowErrors(rows: readonly EnvRowDraft[]): Map<number, string> {
  const errors = new Map<number, string>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (isBlankEnvRow(row)) continue;
    const err = envKeyError(row.key);
    if (err) {
      errors.set(row.id, err);
      continue;
    }
    const first = seen.get(row.key);
    if (first !== undefined) {
      errors.set(row.id, `Duplicate key: ${row.key} is already set above.`);
    } else {
      seen.set(row.key, row.id);
    }
  }
  return errors;
}

export function isBlankEnvRow(row: EnvRowDraft): boolean {
  return row.key.trim() === '' && row.value === '';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

export function uuidError(s: string, what: string): string | null {
  if (s.trim() === '') return `Enter a ${what}.`;
  if (!isUuid(s.trim())) {
    return `A ${what} looks like 123e4567-e89b-12d3-a456-426614174000 (a UUID).`;
  }
  return null;
}

/** Endpoint: https://…, or http:// on a loopback host (127.0.0.0/8, localhost, [::1]). */
export function endpointError(endpoint: string): string | null {
  const s = endpoint.trim();
  if (s === '') return 'Enter the API endpoint.';
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return 'Enter a full URL, e.g. https://data.pro.hasura.io/v1/graphql';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    const host = url.hostname;
    if (host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)) return null;
    return 'Plain http:// is only allowed for this computer (localhost or 127.0.0.1); use https://.';
  }
  return 'The endpoint must start with https://';
}

export function profileNameError(name: string): string | null {
  const s = name.trim();
  if (s === '') return 'Give this profile a name, e.g. Work.';
  if (s.length > 40) return 'Keep the profile name to 40 characters or fewer.';
  return null;
}
