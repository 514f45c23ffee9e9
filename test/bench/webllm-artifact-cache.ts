// WebLLM 0.2.86's own artifact caches (tvmjs ArtifactCache, ArtifactIndexedDBCache, ArtifactOPFSCache
// and the OPFSStore the last one writes through), taken as source text from the installed bundle so
// the storage bench runs WebLLM's own download-and-cache code, not a model of it. The classes are not
// exported; this finds their declarations with the TypeScript parser and fails loudly if one is gone.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ts from 'typescript';

const CLASSES = ['OPFSStore', 'ArtifactCache', 'ArtifactIndexedDBCache', 'ArtifactOPFSCache'] as const;
/** Module-level bindings the classes read (besides each other). */
const BINDINGS = ['__awaiter', 'HASH_ALGORITHM$1', 'OPFS_STORE_ROOT_DIRECTORY', 'DEFAULT_FETCH_OPTIONS'];

/**
 * A function body that, run with `new Function`, returns `{ ArtifactCache, ArtifactIndexedDBCache,
 * ArtifactOPFSCache }` exactly as the bundle declares them.
 */
export function webllmArtifactCacheSource(): string {
  const path = createRequire(import.meta.url).resolve('@mlc-ai/web-llm/lib/index.js');
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2020, true);
  let block: ts.Node | undefined;
  const find = (n: ts.Node): void => {
    if (block) return;
    if (ts.isClassDeclaration(n) && n.name?.text === 'ArtifactCache') block = n.parent;
    else n.forEachChild(find);
  };
  find(file);
  if (!block) throw new Error(`WebLLM's ArtifactCache class is not in ${path}: the storage bench cannot run its download path`);
  const parts = new Map<string, string>();
  block.forEachChild((s) => {
    if (ts.isClassDeclaration(s) && s.name && (CLASSES as readonly string[]).includes(s.name.text)) parts.set(s.name.text, s.getText());
    else if (ts.isFunctionDeclaration(s) && s.name && BINDINGS.includes(s.name.text)) parts.set(s.name.text, s.getText());
    else if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations)
        if (ts.isIdentifier(d.name) && BINDINGS.includes(d.name.text)) parts.set(d.name.text, s.getText());
  });
  const missing = [...BINDINGS, ...CLASSES].filter((n) => !parts.has(n));
  if (missing.length) throw new Error(`WebLLM's bundle no longer declares ${missing.join(', ')} beside ArtifactCache (${path})`);
  return `${[...BINDINGS, ...CLASSES].map((n) => parts.get(n)).join('\n')}\nreturn { ArtifactCache, ArtifactIndexedDBCache, ArtifactOPFSCache };`;
}
