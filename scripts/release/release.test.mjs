// The release workflow's logic, run on any machine: node --test scripts/release/release.test.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  ReleaseError,
  checkVersion,
  envFileText,
  latestJson,
  main,
  releaseConfig,
  releaseNotes,
  signingEnv,
  signingPlan,
  updaterKeys,
  versionFromRef,
} from './release.mjs';

// Obviously fake values.
const UPDATER = { TAURI_SIGNING_PRIVATE_KEY: 'fake-updater-key', TAURI_SIGNING_PRIVATE_KEY_PASSWORD: '' };
const APPLE = { APPLE_CERTIFICATE: 'ZmFrZQ==\nbXVsdGlsaW5l', APPLE_CERTIFICATE_PASSWORD: 'fake', APPLE_SIGNING_IDENTITY: 'Developer ID Application: Example (FAKE)' };
const NOTARY = { APPLE_ID: 'dev@example.com', APPLE_PASSWORD: 'fake-app-password', APPLE_TEAM_ID: 'FAKETEAM' };
const AZURE = {
  AZURE_CLIENT_ID: 'fake-client',
  AZURE_CLIENT_SECRET: 'fake-secret',
  AZURE_TENANT_ID: 'fake-tenant',
  AZURE_SIGNING_ENDPOINT: 'https://eus.codesigning.azure.net',
  AZURE_SIGNING_ACCOUNT: 'example',
  AZURE_SIGNING_PROFILE: 'example-profile',
};
// What GitHub gives a step for secrets that are not set.
const UNSET = Object.fromEntries(
  [...Object.keys(APPLE), ...Object.keys(NOTARY), ...Object.keys(AZURE), 'WINDOWS_CERTIFICATE', 'WINDOWS_CERTIFICATE_PASSWORD'].map((k) => [k, '']),
);

/** A repository whose three files state these versions. */
function repo({ cargo = '0.2.0', pkg = '0.2.0', conf = '0.2.0' } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'release-test-'));
  mkdirSync(join(root, 'src-tauri'));
  writeFileSync(join(root, 'Cargo.toml'), `[workspace]\nmembers = ["a"]\n\n[workspace.package]\nedition = "2024"\nversion = "${cargo}"\n\n[workspace.dependencies]\nx = { version = "9.9.9" }\n`);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', version: pkg }));
  writeFileSync(join(root, 'src-tauri/tauri.conf.json'), JSON.stringify({ version: conf }));
  writeFileSync(join(root, 'src-tauri/tauri.release.conf.json'), JSON.stringify({ bundle: { createUpdaterArtifacts: true } }));
  return root;
}

test('the version comes from a v* tag; branches and other refs are refused', () => {
  assert.equal(versionFromRef('refs/tags/v0.2.0'), '0.2.0');
  assert.equal(versionFromRef('refs/tags/v1.0.0-beta.1'), '1.0.0-beta.1');
  for (const ref of ['refs/heads/main', 'refs/heads/v0.2.0', 'refs/pull/3/merge', 'refs/tags/0.2.0', '', undefined]) {
    assert.throws(() => versionFromRef(ref), /version tag such as v0\.2\.0/, String(ref));
  }
  assert.throws(() => versionFromRef('refs/tags/v2'), /is not a version/);
  assert.throws(() => versionFromRef('refs/tags/v0.2.0.1'), /is not a version/);
});

test('the tag must match Cargo.toml, package.json and tauri.conf.json, each named when it does not', () => {
  const root = repo();
  assert.equal(checkVersion('refs/tags/v0.2.0', root), '0.2.0');
  assert.throws(() => checkVersion('refs/tags/v0.3.0', root), (e) => {
    assert.ok(e instanceof ReleaseError);
    assert.match(e.message, /Cargo\.toml .* says 0\.2\.0; package\.json .* says 0\.2\.0; src-tauri\/tauri\.conf\.json .* says 0\.2\.0/);
    return true;
  });
  const stale = repo({ conf: '0.1.0' });
  assert.throws(() => checkVersion('refs/tags/v0.2.0', stale), (e) => {
    assert.match(e.message, /tauri\.conf\.json \(version\) says 0\.1\.0/);
    assert.doesNotMatch(e.message, /Cargo\.toml \(/);
    return true;
  });
  // Tauri reads a version from a package.json the field points to.
  assert.equal(checkVersion('refs/tags/v0.2.0', repo({ conf: '../package.json' })), '0.2.0');
  // A dependency's version in another section is not the workspace's.
  assert.throws(() => checkVersion('refs/tags/v9.9.9', root), /does not match/);
  for (const dir of [root, stale]) rmSync(dir, { recursive: true });
});

test('the version command writes the version and tag as step outputs', () => {
  const root = repo();
  const out = join(root, 'out');
  writeFileSync(out, '');
  main(['version', 'refs/tags/v0.2.0'], { GITHUB_OUTPUT: out }, root);
  assert.equal(readFileSync(out, 'utf8'), 'version=0.2.0\ntag=v0.2.0\n');
  assert.throws(() => main(['version'], { GITHUB_REF: 'refs/heads/main', GITHUB_OUTPUT: out }, root), ReleaseError);
  rmSync(root, { recursive: true });
});

test('without the updater key the release stops with one message that says what to do', () => {
  assert.throws(() => signingPlan({ ...UNSET, TAURI_SIGNING_PRIVATE_KEY: '' }), (e) => {
    assert.ok(e instanceof ReleaseError);
    assert.match(e.message, /^The release cannot be signed as configured\. TAURI_SIGNING_PRIVATE_KEY is not set/);
    assert.match(e.message, /README/);
    assert.equal(e.message.split('\n').length, 1);
    return true;
  });
});

test('secrets that are not set (empty) are skipped cleanly: only the updater key is exported', () => {
  const env = { ...UNSET, ...UPDATER };
  const plan = signingPlan(env);
  assert.deepEqual([...plan], ['updater']);
  for (const platform of ['macos', 'windows', 'linux']) {
    // The empty password is exported on purpose: Tauri asks for one when it is not set at all.
    assert.deepEqual(signingEnv(env, platform, plan), UPDATER, platform);
  }
});

test('complete groups reach only their platform; a half-set group is an error naming what is missing', () => {
  const env = { ...UNSET, ...UPDATER, ...APPLE, ...NOTARY, ...AZURE };
  const plan = signingPlan(env);
  assert.deepEqual([...plan].sort(), ['apple-notarization', 'apple-signing', 'updater', 'windows-cloud']);
  assert.deepEqual(Object.keys(signingEnv(env, 'macos', plan)).sort(), [...Object.keys(UPDATER), ...Object.keys(APPLE), ...Object.keys(NOTARY)].sort());
  assert.deepEqual(Object.keys(signingEnv(env, 'windows', plan)).sort(), [...Object.keys(UPDATER), ...Object.keys(AZURE)].sort());
  assert.deepEqual(signingEnv(env, 'linux', plan), UPDATER);

  assert.throws(() => signingPlan({ ...UNSET, ...UPDATER, APPLE_ID: 'dev@example.com' }), /apple-notarization: APPLE_PASSWORD, APPLE_TEAM_ID are not set/);
  assert.throws(() => signingPlan({ ...UNSET, ...UPDATER, ...NOTARY }), /notarizing needs a signed app/);
  assert.throws(
    () => signingPlan({ ...UNSET, ...UPDATER, ...AZURE, WINDOWS_CERTIFICATE: 'x', WINDOWS_CERTIFICATE_PASSWORD: 'y' }),
    /either the WINDOWS_CERTIFICATE or the AZURE_\* group/,
  );
});

test('$GITHUB_ENV blocks carry multi-line values whole', () => {
  assert.equal(envFileText({ A: 'one\ntwo', B: '' }), 'A<<RELEASE_EOF\none\ntwo\nRELEASE_EOF\nB<<RELEASE_EOF\n\nRELEASE_EOF\n');
  assert.match(envFileText({ A: 'x\nRELEASE_EOF\ny' }), /^A<<RELEASE_EOF_\n/);
});

test('the release config signs Windows by thumbprint or signCommand, and ad-hoc signs macOS without a certificate', () => {
  const base = { bundle: { createUpdaterArtifacts: true } };
  const unsigned = signingPlan({ ...UPDATER });
  assert.deepEqual(releaseConfig(base, 'windows', unsigned, {}), base);
  assert.deepEqual(releaseConfig(base, 'linux', unsigned, {}), base);
  assert.equal(releaseConfig(base, 'macos', unsigned, {}).bundle.macOS.signingIdentity, '-');
  assert.equal(releaseConfig(base, 'macos', signingPlan({ ...UPDATER, ...APPLE }), {}).bundle.macOS, undefined);

  const cert = signingPlan({ ...UPDATER, WINDOWS_CERTIFICATE: 'x', WINDOWS_CERTIFICATE_PASSWORD: 'y' });
  const windows = releaseConfig(base, 'windows', cert, {}, 'A1B2C3').bundle.windows;
  assert.deepEqual(windows, { certificateThumbprint: 'A1B2C3', digestAlgorithm: 'sha256', timestampUrl: 'http://timestamp.digicert.com' });
  assert.throws(() => releaseConfig(base, 'windows', cert, {}), /thumbprint is unknown/);

  const cloud = releaseConfig(base, 'windows', signingPlan({ ...UPDATER, ...AZURE }), AZURE).bundle.windows;
  assert.equal(cloud.signCommand, 'trusted-signing-cli -e "https://eus.codesigning.azure.net" -a "example" -c "example-profile" -d "Hasura Cloud Desktop" %1');
  assert.equal(base.bundle.windows, undefined, 'the base config is not changed');
});

test('the signing command exports, writes the config and outputs flags; unsigned builds are said so in the notes', () => {
  const root = repo();
  const [envFile, outFile, config] = ['env', 'out', 'config.json'].map((f) => join(root, f));
  writeFileSync(envFile, '');
  writeFileSync(outFile, '');
  main(['signing', 'windows', '--config-out', config], { ...UNSET, ...UPDATER, GITHUB_ENV: envFile, GITHUB_OUTPUT: outFile }, root);
  assert.equal(readFileSync(envFile, 'utf8'), envFileText(UPDATER));
  assert.match(readFileSync(outFile, 'utf8'), /^updater=true\napple-signing=false\napple-notarization=false\nwindows-certificate=false\nwindows-cloud=false\n/);
  assert.deepEqual(JSON.parse(readFileSync(config, 'utf8')), { bundle: { createUpdaterArtifacts: true } });

  const notes = releaseNotes('0.2.0', signingPlan({ ...UPDATER }));
  assert.match(notes, /macOS: \*\*not signed\*\*.*Gatekeeper/);
  assert.match(notes, /Windows: \*\*not signed\*\*.*SmartScreen/);
  const signed = releaseNotes('0.2.0', signingPlan({ ...UPDATER, ...APPLE, ...NOTARY, ...AZURE }));
  assert.match(signed, /macOS: signed and notarized/);
  assert.match(signed, /Windows: signed \(Azure Trusted Signing\)/);
  assert.doesNotMatch(signed, /not signed\*\*/);
  rmSync(root, { recursive: true });
});

// The names tauri-action gives the release assets of the four builds (spaces become dots).
const SAMPLE_SIGS = {
  'Hasura.Cloud.Desktop_aarch64.app.tar.gz.sig': 'c2lnLW1hYy1hcm0=',
  'Hasura.Cloud.Desktop_x64.app.tar.gz.sig': 'c2lnLW1hYy14NjQ=',
  'Hasura.Cloud.Desktop_0.2.0_x64-setup.exe.sig': 'c2lnLW5zaXM=',
  'Hasura.Cloud.Desktop_0.2.0_x64_en-US.msi.sig': 'c2lnLW1zaQ==',
  'Hasura.Cloud.Desktop_0.2.0_amd64.AppImage.sig': 'c2lnLWFwcGltYWdl\n',
  'Hasura.Cloud.Desktop_0.2.0_amd64.deb.sig': 'c2lnLWRlYg==',
  'Hasura.Cloud.Desktop-0.2.0-1.x86_64.rpm.sig': 'c2lnLXJwbQ==',
};

test('each asset serves its updater keys', () => {
  assert.deepEqual(updaterKeys('Hasura.Cloud.Desktop_aarch64.app.tar.gz'), ['darwin-aarch64', 'darwin-aarch64-app']);
  assert.deepEqual(updaterKeys('Hasura.Cloud.Desktop_0.2.0_x64-setup.exe'), ['windows-x86_64', 'windows-x86_64-nsis']);
  assert.deepEqual(updaterKeys('Hasura.Cloud.Desktop_0.2.0_x64_en-US.msi'), ['windows-x86_64-msi']);
  assert.deepEqual(updaterKeys('Hasura.Cloud.Desktop-0.2.0-1.x86_64.rpm'), ['linux-x86_64-rpm']);
  assert.deepEqual(updaterKeys('Hasura.Cloud.Desktop_0.2.0_aarch64.dmg'), []);
  assert.throws(() => updaterKeys('Hasura.Cloud.Desktop.app.tar.gz'), /architecture/);
});

test('latest.json is assembled from sample .sig files: every platform, its signature and its download URL', () => {
  const root = repo();
  const sigs = join(root, 'sigs');
  mkdirSync(sigs);
  for (const [name, text] of Object.entries(SAMPLE_SIGS)) writeFileSync(join(sigs, name), text);
  writeFileSync(join(sigs, 'Hasura.Cloud.Desktop_0.2.0_aarch64.dmg'), 'not a signature');
  writeFileSync(join(root, 'notes.md'), 'Hasura Cloud Desktop 0.2.0\n');
  const out = join(root, 'latest.json');
  main(
    ['latest-json', '--sig-dir', sigs, '--version', '0.2.0', '--tag', 'v0.2.0', '--repo', 'example/hcd', '--notes-file', join(root, 'notes.md'), '--pub-date', '2026-01-02T03:04:05.000Z', '--out', out],
    {},
    root,
  );
  const json = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(json.version, '0.2.0');
  assert.equal(json.notes, 'Hasura Cloud Desktop 0.2.0');
  assert.equal(json.pub_date, '2026-01-02T03:04:05.000Z');
  assert.deepEqual(Object.keys(json.platforms), [
    'darwin-aarch64', 'darwin-aarch64-app', 'darwin-x86_64', 'darwin-x86_64-app',
    'linux-x86_64', 'linux-x86_64-appimage', 'linux-x86_64-deb', 'linux-x86_64-rpm',
    'windows-x86_64', 'windows-x86_64-msi', 'windows-x86_64-nsis',
  ]);
  assert.deepEqual(json.platforms['darwin-x86_64'], {
    signature: 'c2lnLW1hYy14NjQ=',
    url: 'https://github.com/example/hcd/releases/download/v0.2.0/Hasura.Cloud.Desktop_x64.app.tar.gz',
  });
  assert.equal(json.platforms['linux-x86_64'].signature, 'c2lnLWFwcGltYWdl', 'trailing newline trimmed');
  assert.equal(json.platforms['windows-x86_64'].url, 'https://github.com/example/hcd/releases/download/v0.2.0/Hasura.Cloud.Desktop_0.2.0_x64-setup.exe');
  rmSync(root, { recursive: true });
});

test('latest.json is refused when a build is missing, a platform is served twice, or a signature is empty', () => {
  const base = { version: '0.2.0', notes: '', pubDate: 'x', repo: 'example/hcd', tag: 'v0.2.0' };
  const all = Object.entries(SAMPLE_SIGS).map(([name, signature]) => ({ name, signature }));
  const withoutMacX64 = all.filter((s) => !s.name.includes('_x64.app'));
  assert.throws(() => latestJson({ ...base, signatures: withoutMacX64 }), /No signed updater artifact for darwin-x86_64/);
  assert.throws(() => latestJson({ ...base, signatures: [] }), /darwin-aarch64, darwin-x86_64, windows-x86_64, linux-x86_64/);
  const twice = [...all, { name: 'Other_0.2.0_x64-setup.exe.sig', signature: 'eA==' }];
  assert.throws(() => latestJson({ ...base, signatures: twice }), /Two updater artifacts for windows-x86_64/);
  const empty = all.map((s) => (s.name.endsWith('.deb.sig') ? { ...s, signature: '\n' } : s));
  assert.throws(() => latestJson({ ...base, signatures: empty }), /deb\.sig is empty/);
});
