#!/usr/bin/env node
// The third-party licenses of what the app ships, generated at build time:
//   Rust crates  — cargo-about (config: src-tauri/about.toml; scripts/setup.sh installs it),
//   npm packages — those whose code is in the UI bundle (the list `npm run build -w ui` writes
//                  to ui/dist/.vite/bundled-packages.json), with their package.json license and
//                  LICENSE file.
// Writes src-tauri/licenses/THIRD-PARTY-LICENSES.json (About embeds it) and
// THIRD-PARTY-LICENSES.txt (installed beside the app by the packages). Run after the UI build:
// `npm run licenses`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src-tauri', 'licenses');
const bundled = join(root, 'ui', 'dist', '.vite', 'bundled-packages.json');

function fail(message) {
  console.error(`licenses: ${message}`);
  process.exit(1);
}

// cargo-about reads every crate's files (minutes): its answer is kept in target/ and used again
// while Cargo.lock, the config and cargo-about's version are the same.
function cargoAbout() {
  const version = execFileSync('cargo', ['about', '--version'], { cwd: root, encoding: 'utf8' }).trim();
  const key = createHash('sha256')
    .update(version)
    .update(readFileSync(join(root, 'Cargo.lock')))
    .update(readFileSync(join(root, 'src-tauri', 'about.toml')))
    .digest('hex');
  const cache = join(root, 'target', 'licenses', `cargo-about-${key.slice(0, 16)}.json`);
  if (existsSync(cache)) return readFileSync(cache, 'utf8');
  const json = execFileSync(
    'cargo',
    ['about', 'generate', '--frozen', '--format', 'json', '-c', 'src-tauri/about.toml', '-m', 'src-tauri/Cargo.toml'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(cache, json);
  return json;
}

function crates() {
  let json;
  try {
    json = cargoAbout();
  } catch (e) {
    fail(`cargo about failed (install it with: cargo install cargo-about --locked --features cli): ${e.message}`);
  }
  const about = JSON.parse(json);
  // Path crates are this project's own (source null); the rest come from crates.io.
  const packages = about.crates
    .filter((c) => c.package.source)
    .map((c) => ({ ecosystem: 'crate', name: c.package.name, version: c.package.version, license: c.license }));
  const texts = about.licenses
    .map((l) => ({
      license: l.id,
      text: l.text,
      usedBy: l.used_by.filter((u) => u.crate.source).map((u) => `${u.crate.name} ${u.crate.version}`),
    }))
    .filter((t) => t.usedBy.length > 0);
  return { packages, texts };
}

function npmPackages() {
  if (!existsSync(bundled)) fail(`${bundled} is missing: build the UI first (npm run build -w ui)`);
  const packages = [];
  const texts = [];
  for (const folder of JSON.parse(readFileSync(bundled, 'utf8'))) {
    const dir = [join(root, 'ui', folder), join(root, folder)].find((d) => existsSync(join(d, 'package.json')));
    if (!dir) fail(`${folder} has no package.json`);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const license = typeof manifest.license === 'string' ? manifest.license : manifest.license?.type;
    if (!license) fail(`${manifest.name} says no license`);
    packages.push({ ecosystem: 'npm', name: manifest.name, version: manifest.version, license });
    const files = readdirSync(dir).filter((f) => /^(licen[cs]e|copying)([._-]|$)/i.test(f));
    if (files.length === 0) fail(`${manifest.name} ships no LICENSE file`);
    for (const file of files.sort()) {
      texts.push({ license, text: readFileSync(join(dir, file), 'utf8'), usedBy: [`${manifest.name} ${manifest.version}`] });
    }
  }
  return { packages, texts };
}

const rust = crates();
const npm = npmPackages();
const byName = (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version);
const list = {
  packages: [...rust.packages.sort(byName), ...npm.packages.sort(byName)],
  texts: [...rust.texts, ...npm.texts],
};
if (list.packages.length === 0) fail('no packages found');

const rule = '='.repeat(78);
const text = [
  'Hasura Cloud Desktop includes the following third-party software.',
  '',
  ...list.packages.map((p) => `${p.ecosystem === 'npm' ? 'npm  ' : 'crate'}  ${p.name} ${p.version}  (${p.license})`),
  '',
  ...list.texts.flatMap((t) => [rule, `${t.license} — used by: ${t.usedBy.join(', ')}`, rule, '', t.text.trim(), '']),
].join('\n');

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'THIRD-PARTY-LICENSES.json'), JSON.stringify(list));
writeFileSync(join(outDir, 'THIRD-PARTY-LICENSES.txt'), text);
console.log(
  `licenses: ${rust.packages.length} crates and ${npm.packages.length} npm packages → src-tauri/licenses/THIRD-PARTY-LICENSES.{json,txt}`,
);
