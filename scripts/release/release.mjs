#!/usr/bin/env node
// The parts of the release workflow (.github/workflows/release.yml) that are plain logic, so
// they run and are tested on any machine (scripts/release/release.test.mjs):
//
//   version <git ref>        the version a tag names, checked against Cargo.toml, package.json
//                            and src-tauri/tauri.conf.json; refuses anything but a v* tag
//   signing <platform>       which signing secrets are present (a secret that is not set still
//                            reaches the step, as ""): exports only the complete groups to
//                            $GITHUB_ENV, writes the release config (tauri.release.conf.json plus
//                            signing settings), and fails with one message on a half-set group or
//                            without the updater key
//   notes <version>          the release notes, saying which installers are unsigned
//   latest-json              the updater's latest.json, assembled from the release's .sig files
//
// Node only, no dependencies: it runs before `npm ci` and on every runner.

import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** A failure meant for the person reading the workflow log. */
export class ReleaseError extends Error {}

// ---------------------------------------------------------------------------------------------
// Version

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/** `refs/tags/v1.2.3` → `1.2.3`; any other ref is refused. */
export function versionFromRef(ref) {
  const match = /^refs\/tags\/v(.+)$/.exec(ref ?? '');
  if (!match) {
    throw new ReleaseError(
      `A release is built from a version tag such as v0.2.0 (push one: git tag v0.2.0 && git push origin v0.2.0); this run is for "${ref || '(no ref)'}".`,
    );
  }
  if (!SEMVER.test(match[1])) {
    throw new ReleaseError(`The tag v${match[1]} is not a version: use v<major>.<minor>.<patch>, such as v0.2.0.`);
  }
  return match[1];
}

/** The `version` of Cargo.toml's `[workspace.package]`. */
export function cargoVersion(text) {
  const section = /^\[workspace\.package\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text);
  const version = section && /^version\s*=\s*"([^"]*)"/m.exec(section[1]);
  if (!version) throw new ReleaseError('Cargo.toml has no version in [workspace.package].');
  return version[1];
}

/** Every place that states the version, as found in `root`. */
export function statedVersions(root = ROOT) {
  const read = (path) => readFileSync(join(root, path), 'utf8');
  const pkg = JSON.parse(read('package.json')).version;
  const conf = JSON.parse(read('src-tauri/tauri.conf.json')).version;
  return {
    'Cargo.toml ([workspace.package] version)': cargoVersion(read('Cargo.toml')),
    'package.json (version)': pkg,
    // Tauri reads the version from a package.json when the field is a path to one.
    'src-tauri/tauri.conf.json (version)': conf === '../package.json' ? pkg : conf,
  };
}

/** The tag's version, after checking that every file states the same. */
export function checkVersion(ref, root = ROOT) {
  const version = versionFromRef(ref);
  const wrong = Object.entries(statedVersions(root)).filter(([, stated]) => stated !== version);
  if (wrong.length > 0) {
    const list = wrong.map(([file, stated]) => `${file} says ${stated}`).join('; ');
    throw new ReleaseError(
      `The tag v${version} does not match the version in the repository: ${list}. ` +
        `Set ${version} in Cargo.toml and package.json, run \`cargo update --workspace\`, commit, and tag that commit.`,
    );
  }
  return version;
}

// ---------------------------------------------------------------------------------------------
// Signing

/**
 * Secret groups: a group is used when all its `required` variables are set, skipped when none
 * are, and a mistake when only some are. `optional` variables travel with their group.
 */
export const GROUPS = [
  {
    id: 'updater',
    platforms: ['macos', 'windows', 'linux'],
    required: ['TAURI_SIGNING_PRIVATE_KEY'],
    // Empty for a key made without a password; Tauri asks for it when it is not set at all.
    optional: ['TAURI_SIGNING_PRIVATE_KEY_PASSWORD'],
    exportEmpty: true,
  },
  {
    id: 'apple-signing',
    platforms: ['macos'],
    required: ['APPLE_CERTIFICATE', 'APPLE_CERTIFICATE_PASSWORD', 'APPLE_SIGNING_IDENTITY'],
  },
  {
    id: 'apple-notarization',
    platforms: ['macos'],
    required: ['APPLE_ID', 'APPLE_PASSWORD', 'APPLE_TEAM_ID'],
  },
  {
    id: 'windows-certificate',
    platforms: ['windows'],
    required: ['WINDOWS_CERTIFICATE', 'WINDOWS_CERTIFICATE_PASSWORD'],
  },
  {
    // Azure Trusted Signing through `bundle.windows.signCommand` (certificates issued since June
    // 2023 live in hardware or the cloud and cannot be exported as a .pfx).
    id: 'windows-cloud',
    platforms: ['windows'],
    required: [
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'AZURE_TENANT_ID',
      'AZURE_SIGNING_ENDPOINT',
      'AZURE_SIGNING_ACCOUNT',
      'AZURE_SIGNING_PROFILE',
    ],
  },
];

const isSet = (env, name) => typeof env[name] === 'string' && env[name] !== '';

/** Which groups are complete; throws on a half-set group or a missing updater key. */
export function signingPlan(env) {
  const problems = [];
  const complete = new Set();
  for (const group of GROUPS) {
    const missing = group.required.filter((name) => !isSet(env, name));
    if (missing.length === 0) complete.add(group.id);
    else if (missing.length < group.required.length) {
      problems.push(`${group.id}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`);
    }
  }
  if (!complete.has('updater')) {
    problems.unshift(
      'TAURI_SIGNING_PRIVATE_KEY is not set: every build makes signed updater artifacts ' +
        '(bundle.createUpdaterArtifacts) and cannot without it. Generate the key pair and put the ' +
        'public key into src-tauri/tauri.conf.json as the README says under "Releasing"',
    );
  }
  if (complete.has('apple-notarization') && !complete.has('apple-signing')) {
    problems.push('apple-notarization: notarizing needs a signed app, and the APPLE_CERTIFICATE group is not set');
  }
  if (complete.has('windows-certificate') && complete.has('windows-cloud')) {
    problems.push('windows: set either the WINDOWS_CERTIFICATE or the AZURE_* group, not both');
  }
  if (problems.length > 0) {
    throw new ReleaseError(`The release cannot be signed as configured. ${problems.join('. ')}.`);
  }
  return complete;
}

/** `NAME<<delimiter` blocks for $GITHUB_ENV (values may span lines, as certificates do). */
export function envFileText(vars) {
  return Object.entries(vars)
    .map(([name, value]) => {
      let delimiter = 'RELEASE_EOF';
      while (value.includes(delimiter)) delimiter += '_';
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

/** The variables a build on `platform` gets: those of its complete groups, nothing else. */
export function signingEnv(env, platform, plan = signingPlan(env)) {
  const vars = {};
  for (const group of GROUPS) {
    if (!plan.has(group.id) || !group.platforms.includes(platform)) continue;
    for (const name of group.required) vars[name] = env[name];
    for (const name of group.optional ?? []) {
      if (isSet(env, name) || group.exportEmpty) vars[name] = env[name] ?? '';
    }
  }
  return vars;
}

/** A public Authenticode timestamp server (any CA's works): signatures stay valid after the certificate expires. */
export const TIMESTAMP_URL = 'http://timestamp.digicert.com';

/**
 * The config given to `tauri build` on top of tauri.conf.json: tauri.release.conf.json plus how
 * this platform signs. `thumbprint` is that of the certificate imported into the runner's store.
 */
export function releaseConfig(base, platform, plan, env, thumbprint) {
  const config = structuredClone(base);
  config.bundle ??= {};
  if (platform === 'macos' && !plan.has('apple-signing')) {
    // Ad-hoc signing: without it Apple silicon reports the downloaded app as damaged.
    config.bundle.macOS = { ...config.bundle.macOS, signingIdentity: '-' };
  }
  if (platform === 'windows' && plan.has('windows-certificate')) {
    if (!thumbprint) throw new ReleaseError('The Windows certificate was imported but its thumbprint is unknown.');
    config.bundle.windows = {
      ...config.bundle.windows,
      certificateThumbprint: thumbprint,
      digestAlgorithm: 'sha256',
      timestampUrl: TIMESTAMP_URL,
    };
  }
  if (platform === 'windows' && plan.has('windows-cloud')) {
    // trusted-signing-cli reads AZURE_CLIENT_ID/SECRET/TENANT_ID from the environment; %1 is the
    // file Tauri asks it to sign.
    const q = (value) => `"${value.replaceAll('"', '')}"`;
    config.bundle.windows = {
      ...config.bundle.windows,
      signCommand:
        `trusted-signing-cli -e ${q(env.AZURE_SIGNING_ENDPOINT)} -a ${q(env.AZURE_SIGNING_ACCOUNT)} ` +
        `-c ${q(env.AZURE_SIGNING_PROFILE)} -d "Hasura Cloud Desktop" %1`,
    };
  }
  return config;
}

/** What each platform's installers are, for the release notes. */
export function signingSummary(plan) {
  const mac = plan.has('apple-signing')
    ? plan.has('apple-notarization')
      ? 'signed and notarized'
      : 'signed but **not notarized**: Gatekeeper asks before the first start'
    : '**not signed** (ad-hoc only): Gatekeeper refuses the first start; see the README, "Unsigned builds"';
  const windows = plan.has('windows-certificate')
    ? 'signed (certificate)'
    : plan.has('windows-cloud')
      ? 'signed (Azure Trusted Signing)'
      : '**not signed**: SmartScreen warns before it runs; see the README, "Unsigned builds"';
  return { macOS: mac, Windows: windows, Linux: 'not signed (as usual for .deb, .rpm and AppImage)' };
}

export function releaseNotes(version, plan) {
  const lines = Object.entries(signingSummary(plan)).map(([os, what]) => `- ${os}: ${what}`);
  return `Hasura Cloud Desktop ${version}\n\n## Installers\n\n${lines.join('\n')}\n\nInstalled copies update themselves from this release once it is published (the updater artifacts are signed).\n`;
}

// ---------------------------------------------------------------------------------------------
// latest.json

/**
 * The updater keys an asset serves (tauri-plugin-updater looks for `{os}-{arch}-{installer}`,
 * then `{os}-{arch}`), from the names tauri-action gives release assets.
 */
export function updaterKeys(assetName) {
  const arch = (name) =>
    /(aarch64|arm64)/.test(name) ? 'aarch64' : /(x64|x86_64|amd64)/.test(name) ? 'x86_64' : null;
  const rules = [
    [/\.app\.tar\.gz$/, 'darwin', 'app', true],
    [/-setup\.exe$/, 'windows', 'nsis', true],
    [/\.msi$/, 'windows', 'msi', false],
    [/\.AppImage$/, 'linux', 'appimage', true],
    [/\.deb$/, 'linux', 'deb', false],
    [/\.rpm$/, 'linux', 'rpm', false],
  ];
  for (const [pattern, os, installer, isDefault] of rules) {
    if (!pattern.test(assetName)) continue;
    const a = arch(assetName);
    if (!a) throw new ReleaseError(`Cannot tell the architecture of ${assetName}.`);
    const keys = [`${os}-${a}-${installer}`];
    if (isDefault) keys.unshift(`${os}-${a}`);
    return keys;
  }
  return [];
}

/** Platforms every release must serve: the four builds of the workflow. */
export const REQUIRED_PLATFORMS = ['darwin-aarch64', 'darwin-x86_64', 'windows-x86_64', 'linux-x86_64'];

/**
 * latest.json from `{ name, signature }` pairs (an asset name and its .sig file's text). A
 * platform without a signature, or served twice, is an error: no release ships without an update.
 */
export function latestJson({ version, notes, pubDate, repo, tag, signatures }) {
  const platforms = {};
  for (const { name, signature } of signatures) {
    const asset = name.replace(/\.sig$/, '');
    const url = `https://github.com/${repo}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(asset)}`;
    for (const key of updaterKeys(asset)) {
      if (platforms[key]) throw new ReleaseError(`Two updater artifacts for ${key}: ${platforms[key].url} and ${url}.`);
      const text = signature.trim();
      if (!text) throw new ReleaseError(`${name} is empty.`);
      platforms[key] = { signature: text, url };
    }
  }
  const missing = REQUIRED_PLATFORMS.filter((key) => !platforms[key]);
  if (missing.length > 0) {
    throw new ReleaseError(`No signed updater artifact for ${missing.join(', ')}: did every build job finish?`);
  }
  const sorted = Object.fromEntries(Object.keys(platforms).sort().map((key) => [key, platforms[key]]));
  return { version, notes, pub_date: pubDate, platforms: sorted };
}

// ---------------------------------------------------------------------------------------------
// Command line

function option(args, name) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

function required(args, name) {
  const value = option(args, name);
  if (value === undefined) throw new ReleaseError(`--${name} is required.`);
  return value;
}

export function main(argv, env = process.env, root = ROOT) {
  const [command, ...args] = argv;
  const output = (pairs) => {
    const text = Object.entries(pairs).map(([k, v]) => `${k}=${v}\n`).join('');
    if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, text);
    return text;
  };
  switch (command) {
    case 'version': {
      const version = checkVersion(args[0] ?? env.GITHUB_REF, root);
      return output({ version, tag: `v${version}` });
    }
    case 'signing': {
      const platform = args[0];
      if (!['macos', 'windows', 'linux'].includes(platform)) throw new ReleaseError('signing: macos, windows or linux.');
      const plan = signingPlan(env);
      const vars = signingEnv(env, platform, plan);
      if (env.GITHUB_ENV) appendFileSync(env.GITHUB_ENV, envFileText(vars));
      const base = JSON.parse(readFileSync(join(root, 'src-tauri/tauri.release.conf.json'), 'utf8'));
      const thumbprint = option(args, 'thumbprint') ?? (env.WINDOWS_CERTIFICATE_THUMBPRINT || undefined);
      const config = releaseConfig(base, platform, plan, env, thumbprint);
      writeFileSync(required(args, 'config-out'), `${JSON.stringify(config, null, 2)}\n`);
      const flags = Object.fromEntries(GROUPS.map((g) => [g.id, String(plan.has(g.id))]));
      return output({ ...flags, exported: Object.keys(vars).join(',') });
    }
    case 'notes': {
      const text = releaseNotes(required(args, 'version'), signingPlan(env));
      writeFileSync(required(args, 'out'), text);
      return text;
    }
    case 'latest-json': {
      const dir = required(args, 'sig-dir');
      const signatures = readdirSync(dir)
        .filter((name) => name.endsWith('.sig'))
        .map((name) => ({ name, signature: readFileSync(join(dir, name), 'utf8') }));
      const json = latestJson({
        version: required(args, 'version'),
        notes: readFileSync(required(args, 'notes-file'), 'utf8').trim(),
        pubDate: option(args, 'pub-date') ?? new Date().toISOString(),
        repo: required(args, 'repo'),
        tag: required(args, 'tag'),
        signatures,
      });
      const text = `${JSON.stringify(json, null, 2)}\n`;
      writeFileSync(required(args, 'out'), text);
      return text;
    }
    default:
      throw new ReleaseError('Commands: version, signing, notes, latest-json (see the top of this file).');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(main(process.argv.slice(2)));
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    // One line that GitHub shows as the run's error.
    console.error(`::error::${e.message}`);
    process.exit(1);
  }
}
