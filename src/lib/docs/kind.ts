// What kind of document a file is, from its name's extension (then its MIME type): the reader it
// goes to in the documents worker. Unknown kinds are refused before anything is read; a dropped
// folder keeps only the files of a kind Airgap reads. The size limit is re-exported with it, so a
// file too large is refused from its size alone, never read into memory.

export type DocKind = 'text' | 'markdown' | 'html' | 'code' | 'pdf' | 'docx';

/** Files above this are refused unread (a 300-page report is a few MB; the index lives in memory). The page
 *  refuses them too, before posting them here: one limit, in lib. */
export { MAX_DOC_BYTES } from '../doc-files';

const CODE = new Set(
  (
    'ts tsx js jsx mjs cjs py pyi rb go rs java kt kts c h cc cpp cxx hpp hh cs swift m mm php sh bash zsh fish ps1 sql ' +
    'json jsonc yaml yml toml ini cfg conf xml css scss sass less svelte vue astro lua r jl scala clj ex exs erl hs ml ' +
    'fs dart pl pm tf proto graphql gradle cmake mk dockerfile makefile'
  ).split(' '),
);
const BY_EXT: Record<string, DocKind> = {
  txt: 'text',
  text: 'text',
  log: 'text',
  csv: 'text',
  tsv: 'text',
  rst: 'text',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
};
const BY_MIME: Record<string, DocKind> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop()!.toLowerCase();
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1) : base;
}

/** The reader for a file, or undefined when Airgap does not read this type. */
export function kindOf(name: string, mime = ''): DocKind | undefined {
  const ext = extensionOf(name);
  if (BY_EXT[ext]) return BY_EXT[ext];
  if (CODE.has(ext)) return 'code';
  const type = mime.split(';')[0]!.trim().toLowerCase();
  return BY_MIME[type] ?? (type.startsWith('text/') ? 'text' : undefined);
}

/** Whether a file found in a folder (its path inside the folder) is taken as a document: of a kind
 *  Airgap reads, and not hidden nor inside a hidden folder (".git", ".DS_Store"). */
export function takenFromFolder(path: string, mime = ''): boolean {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length > 0 && !parts.some((p) => p.startsWith('.')) && kindOf(parts.at(-1)!, mime) !== undefined;
}
