// Enforces the layout's import boundaries (ARCHITECTURE.md, "Import rules"): WebLLM only in the engine worker,
// idb-keyval only in user-data and the documents worker's store, workbox only in the service worker and its page bridge, and lib free
// of the DOM, Svelte, WebLLM and IndexedDB, and importing nothing from the rest of src/ (not even types).
// Elsewhere, type-only imports are allowed across boundaries.
// Product code never imports test infrastructure from test/ (fakes and fixtures live there).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|svelte)$/.test(name) ? [p] : [];
  });
}

interface Import {
  file: string;
  source: string;
  typeOnly: boolean;
}

const IMPORT_RE =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const source = m[4] ?? m[5] ?? m[6]!;
    const clause = m[3] ?? '';
    const typeOnly = Boolean(m[2]) || /^\{\s*(type\s+[^,}]+,?\s*)+\}$/.test(clause.trim());
    out.push({ file: relative(ROOT, file), source, typeOnly });
  }
  return out;
}

const all = files(SRC).filter((f) => !f.endsWith('.test.ts'));
const imports = all.flatMap(importsOf);
const code = (f: string) =>
  readFileSync(f, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');

/** The repository-relative file a relative import names, or undefined when it is not a source file. */
function resolveImport(from: string, source: string): string | undefined {
  const base = relative(ROOT, resolve(ROOT, dirname(from), source));
  const known = new Set(all.map((f) => relative(ROOT, f)));
  return [base, `${base}.ts`, `${base}/index.ts`].find((c) => known.has(c));
}
const valueImports = (pred: (s: string) => boolean) => imports.filter((i) => !i.typeOnly && pred(i.source));

describe('import boundaries', () => {
  it('finds the source files', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(imports.length).toBeGreaterThan(40);
  });

  it('@mlc-ai/web-llm is imported (as a value) only under src/engine/worker/', () => {
    const bad = valueImports((s) => s.startsWith('@mlc-ai/web-llm')).filter((i) => !i.file.startsWith('src/engine/worker/'));
    expect(bad).toEqual([]);
    expect(valueImports((s) => s.startsWith('@mlc-ai/web-llm')).length).toBeGreaterThan(0);
  });

  it('eventsource-parser is imported only by the remote engine (the worker)', () => {
    expect(imports.filter((i) => i.source.startsWith('eventsource-parser') && !i.file.startsWith('src/engine/worker/remote/'))).toEqual([]);
    expect(imports.some((i) => i.source === 'eventsource-parser')).toBe(true);
  });

  it('idb-keyval is imported only under src/user-data/ and by the documents store', () => {
    const allowed = (f: string) => f.startsWith('src/user-data/') || f === 'src/docs/worker/store.ts';
    expect(imports.filter((i) => i.source === 'idb-keyval' && !allowed(i.file))).toEqual([]);
  });

  it('PDF.js, mammoth and MiniSearch are imported only by the documents worker', () => {
    const docsOnly = /^(pdfjs-dist|mammoth|minisearch)(\/|$)/;
    expect(imports.filter((i) => !i.typeOnly && docsOnly.test(i.source) && !i.file.startsWith('src/docs/worker/'))).toEqual([]);
    expect(imports.some((i) => i.source === 'minisearch')).toBe(true);
  });

  it('workbox is imported only by the service worker and the page bridge', () => {
    const bad = imports.filter(
      (i) => i.source.startsWith('workbox-') && !i.file.startsWith('src/sw/') && i.file !== 'src/app/sw-bridge.ts',
    );
    expect(bad).toEqual([]);
  });

  it('page code never imports worker code as values', () => {
    const page = imports.filter(
      (i) =>
        i.file.startsWith('src/app/') ||
        i.file === 'src/main.ts' ||
        ['src/engine/client.ts', 'src/engine/rpc-client.ts', 'src/docs/client.ts'].includes(i.file),
    );
    expect(page.filter((i) => !i.typeOnly && i.source.includes('/worker/'))).toEqual([]);
  });

  it('Cache Storage is used only by the Cache backend of the model files (and the service worker)', () => {
    const allowed = (f: string) => f === 'src/engine/worker/model-files/cache-store.ts' || f.startsWith('src/sw/');
    const users = all.map((f) => relative(ROOT, f)).filter((f) => !allowed(f) && /\bcaches\.\w/.test(code(join(ROOT, f))));
    expect(users).toEqual([]);
  });

  it('no import cycles in the engine worker, the documents worker and user data (type-only imports count too)', () => {
    const checked = (f: string) => f.startsWith('src/engine/worker/') || f.startsWith('src/docs/worker/') || f.startsWith('src/user-data/');
    const edges = new Map<string, string[]>();
    for (const i of imports) {
      if (!i.source.startsWith('.') || !checked(i.file)) continue;
      const target = resolveImport(i.file, i.source);
      if (target) edges.set(i.file, [...(edges.get(i.file) ?? []), target]);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') return void cycles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
      state.set(f, 'open');
      for (const t of edges.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of edges.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('every file in src/, tests included, stays small (at most 250 lines)', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const p = join(dir, name);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
    const checked = walk(SRC);
    expect(checked.length).toBeGreaterThan(all.length);
    // Lines as `wc -l` counts them: a final newline does not open another line.
    const lines = (f: string) => readFileSync(f, 'utf8').replace(/\n$/, '').split('\n').length;
    const long = checked.filter((f) => lines(f) > 250).map((f) => `${relative(ROOT, f)}: ${lines(f)}`);
    expect(long).toEqual([]);
  });

  it('src/lib is pure: no Svelte, WebLLM, idb-keyval, workbox or DOM', () => {
    const lib = all.filter((f) => relative(ROOT, f).startsWith('src/lib/'));
    const libImports = imports.filter((i) => i.file.startsWith('src/lib/'));
    expect(libImports.filter((i) => /^(svelte|@mlc-ai|idb-keyval|workbox)/.test(i.source))).toEqual([]);
    // Not even types: the shapes pure code computes with live in lib/, and the protocol re-exports them.
    const outside = libImports.filter(
      (i) => i.source.startsWith('.') && !resolve(ROOT, dirname(i.file), i.source).startsWith(join(SRC, 'lib')),
    );
    expect(outside).toEqual([]);
    const code = (f: string) =>
      readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
    const dom = lib.filter((f) => /\b(document|window|localStorage|navigator)\./.test(code(f)));
    expect(dom.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('product code never imports from test/', () => {
    const TEST = join(ROOT, 'test');
    const fromTest = imports.filter(
      (i) => i.source.startsWith('.') && !relative(TEST, resolve(ROOT, dirname(i.file), i.source)).startsWith('..'),
    );
    expect(fromTest).toEqual([]);
  });

  it('test helpers live under test/, not beside product code', () => {
    expect(
      files(SRC)
        .filter((f) => /\.test-helpers\.ts$/.test(f))
        .map((f) => relative(ROOT, f)),
    ).toEqual([]);
  });
});
