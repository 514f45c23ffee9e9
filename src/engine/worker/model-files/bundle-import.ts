// Opens an Airgap model bundle (a File: read by slices, never whole) for import: the index entry
// read and validated, the JSON files that lead the archive read to plan the model, then the rest
// yielded one entry at a time with the archive's framing checked against the index (names, order,
// sizes, regular files, nothing after the last file). Runs in the engine worker.

import { INDEX_ENTRY, TAR_BLOCK, type BundleFile, type BundleIndex } from '../../../lib/bundle/format';
import { entryOffsets, MAX_INDEX_BYTES, parseBundleIndex } from '../../../lib/bundle/index-check';
import { padding } from '../../../lib/bundle/tar-header';
import { blobSource, TarReader } from '../../../lib/bundle/tar-reader';
import { ModelImportError } from '../../errors';
import { PLAN_KINDS, planBundle, targetFor, type ImportTarget, type PlannedFile } from './bundle-plan';
import type { ImportItem } from './import-writer';
import type { StoreRecord } from './model-store';

export interface OpenedImport extends ImportTarget {
  files: PlannedFile[];
  items: AsyncIterable<ImportItem>;
}

const isRegular = (type: string) => type === '0' || type === '\0';

export async function openBundle(file: Blob, catalog: readonly StoreRecord[], pageUrl: string): Promise<OpenedImport> {
  const reader = new TarReader(blobSource(file));
  const first = await reader.next();
  if (!first || first.name !== INDEX_ENTRY || !isRegular(first.type))
    throw new ModelImportError(`this is not an Airgap model bundle (its first entry is not ${INDEX_ENTRY})`);
  if (first.size > MAX_INDEX_BYTES) throw new ModelImportError(`its index is ${first.size} bytes, more than an index can be`);
  let index: BundleIndex;
  try {
    index = parseBundleIndex(JSON.parse(new TextDecoder().decode(await reader.data())));
  } catch (err) {
    throw new ModelImportError(err instanceof SyntaxError ? 'its index is not valid JSON' : (err as Error).message);
  }
  // Sizes known up front: a cut archive is refused before a byte is written.
  const last = index.files.at(-1)!;
  const expected = entryOffsets(index, first.size).at(-1)! + TAR_BLOCK + last.bytes + padding(last.bytes) + 2 * TAR_BLOCK;
  if (file.size < expected) throw new ModelImportError(`the bundle is cut short (${file.size} of ${expected} bytes)`);
  const target = targetFor(index, catalog);
  const lead = index.files.findIndex((f) => !PLAN_KINDS.includes(f.kind));
  const json = new Map<string, Uint8Array>();
  for (const bf of index.files.slice(0, lead)) {
    await nextEntry(reader, index, bf);
    json.set(bf.path, await reader.data());
  }
  const files = await planBundle(index, target, pageUrl, json);
  return { ...target, files, items: entries(reader, index, files, json) };
}

async function* entries(
  reader: TarReader,
  index: BundleIndex,
  files: PlannedFile[],
  json: Map<string, Uint8Array>,
): AsyncGenerator<ImportItem> {
  for (const [i, bf] of index.files.entries()) {
    const file = files[i]!;
    const held = json.get(bf.path);
    if (held) yield { file, name: bf.path, sha256: bf.sha256, read: async () => held };
    else {
      await nextEntry(reader, index, bf);
      yield { file, name: bf.path, sha256: bf.sha256, read: () => reader.data() };
    }
  }
  const extra = await reader.next();
  if (extra) throw new ModelImportError(`it has data beyond its index (an entry ${extra.name})`);
}

/** The next entry, which must be `bf` as the index describes it. */
async function nextEntry(reader: TarReader, index: BundleIndex, bf: BundleFile): Promise<void> {
  const e = await reader.next();
  if (!e) throw new ModelImportError(`the bundle ends before ${bf.path}`);
  if (!isRegular(e.type)) throw new ModelImportError(`${e.name} is not a regular file`);
  if (e.name !== bf.path) {
    if (index.files.some((f) => f.path === e.name))
      throw new ModelImportError(`its entries are out of order (${e.name} where the index puts ${bf.path})`);
    throw new ModelImportError(`it has an entry ${e.name} that is not in its index`);
  }
  if (e.size !== bf.bytes)
    throw new ModelImportError(
      `${bf.path} is ${e.size} bytes in the archive but ${bf.bytes} in the index${e.size > bf.bytes ? ' (oversized)' : ''}`,
    );
}
