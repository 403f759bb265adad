// Architecture rule: only lib/api.ts may import the generated bindings or @tauri-apps/*.
// Components and state reach the app through the `Api` they are given. The one exception is
// lib/types.ts, which names the generated types for the UI: it may import types, nothing that runs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|js|svelte|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

// Static imports/exports ("import … from 'x'", "import 'x'", "export … from 'x'") and dynamic import('x').
const SPECIFIER = /(?:\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?|\bexport\s*[\w*{}\s,$]*\s*from\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g;

function importsOf(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[1]!);
}

// "import type … from './bindings'": erased when compiled, so no code of the bindings comes along.
const TYPE_IMPORT_OF_BINDINGS = /\bimport\s+type\s[^;'"]*from\s*['"]\.\/bindings['"]/g;

function withoutTypeImportsOfBindings(text: string): string {
  return text.replace(TYPE_IMPORT_OF_BINDINGS, '');
}

describe('architecture', () => {
  const all = files(SRC).map((p) => relative(SRC, p).split(sep).join('/'));

  it('finds the sources', () => {
    expect(all).toContain('lib/api.ts');
    expect(all).toContain('App.svelte');
    expect(all.length).toBeGreaterThan(15);
  });

  it('no file except lib/api.ts imports @tauri-apps/* or the bindings', () => {
    const offenders: string[] = [];
    for (const rel of all) {
      if (rel === 'lib/api.ts' || rel === 'lib/bindings.ts') continue;
      const source = readFileSync(join(SRC, rel), 'utf8');
      const text = rel === 'lib/types.ts' ? withoutTypeImportsOfBindings(source) : source;
      for (const spec of importsOf(text)) {
        if (spec.startsWith('@tauri-apps/') || /(^|\/)bindings(\.ts|\.js)?$/.test(spec)) {
          offenders.push(`${rel} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lib/api.ts does import the bindings (it is the boundary)', () => {
    const text = readFileSync(join(SRC, 'lib/api.ts'), 'utf8');
    expect(importsOf(text)).toContain('./bindings');
  });

  it('the import scan catches the forms it should', () => {
    // Built from pieces so that this file does not itself contain such an import.
    const q = "'";
    const tauri = '@tauri-apps/api';
    expect(importsOf('import { invoke } from ' + q + tauri + '/core' + q)).toEqual([tauri + '/core']);
    expect(importsOf('import type { X } from "../lib/' + 'bindings"')).toEqual(['../lib/bindings']);
    expect(importsOf('import ' + q + tauri + q)).toEqual([tauri]);
    expect(importsOf('const m = await import(' + q + './bindings' + q + ')')).toEqual(['./bindings']);
    expect(importsOf('export * from ' + q + './bindings.ts' + q)).toEqual(['./bindings.ts']);
  });

  it("lib/types.ts's exception lets type imports through and nothing else", () => {
    const q = "'";
    const from = ' from ' + q + './bind' + 'ings' + q;
    expect(importsOf(withoutTypeImportsOfBindings('import type * as ipc' + from + ';'))).toEqual([]);
    expect(importsOf(withoutTypeImportsOfBindings('import type { EnvVar }' + from + ';'))).toEqual([]);
    expect(importsOf(withoutTypeImportsOfBindings('import { commands }' + from + ';'))).toEqual(['./bindings']);
    expect(importsOf(withoutTypeImportsOfBindings('import { type EnvVar }' + from + ';'))).toEqual(['./bindings']);
    expect(importsOf(withoutTypeImportsOfBindings('export type * as ipc' + from + ';'))).toEqual(['./bindings']);
  });

  it('components make no network calls of their own', () => {
    for (const rel of all.filter((f) => f.endsWith('.svelte') || (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('test/')))) {
      if (rel === 'lib/api.ts' || rel === 'lib/bindings.ts') continue;
      const text = readFileSync(join(SRC, rel), 'utf8');
      expect(text, rel).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|new WebSocket|EventSource\(/);
    }
  });
});
