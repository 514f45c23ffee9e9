// Which record an imported bundle's files are stored under, and where each file goes: the importing
// app's own record for the model when its catalog has one, else the bundle's. The model is planned
// from the bundle's JSON files exactly as a download plans it (lib/download/plan), so every file
// lands where WebLLM's reload and the storage report look. Runs in the engine worker.

import type { BundleFile, BundleIndex } from '../../../lib/bundle/format';
import { urlInRecord } from '../../../lib/bundle/format';
import type { ModelFile } from '../../../lib/download/files';
import { planModel } from '../../../lib/download/plan';
import { ModelImportError } from '../../errors';
import type { StoreRecord } from './model-store';

export type PlannedFile = ModelFile & { bytes: number };

/** What an import is about to write, before anything is written. */
export interface ImportTarget {
  modelId: string;
  record: StoreRecord;
  /** The catalog had no record for the id: the record comes from the import. */
  newRecord: boolean;
}

/** Kinds whose bytes the plan needs before the rest: a bundle carries them first. */
export const PLAN_KINDS: readonly string[] = ['package', 'config', 'manifest'];

export function targetFor(index: BundleIndex, catalog: readonly StoreRecord[]): ImportTarget {
  const known = catalog.find((r) => r.model_id === index.record.model_id);
  return { modelId: index.record.model_id, record: known ?? index.record, newRecord: !known };
}

/** Each index file with its place in the store, in index order; refuses a bundle that is not the whole model. */
export async function planBundle(
  index: BundleIndex,
  target: ImportTarget,
  pageUrl: string,
  json: ReadonlyMap<string, Uint8Array>,
): Promise<PlannedFile[]> {
  const urlOf = (f: BundleFile) => urlInRecord(f, target.record, pageUrl);
  const plan = await planModel(target.record, pageUrl, async (f) => {
    const bf = index.files.find((x) => urlOf(x) === f.url);
    const data = bf && json.get(bf.path);
    if (!data) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(data)) as unknown;
    } catch {
      throw new ModelImportError(`${bf.path} is not valid JSON`);
    }
  });
  if (plan.error) throw new ModelImportError(`its files are not a WebLLM model (${plan.error})`);
  if (!plan.complete) throw new ModelImportError("it does not start with the model's chat config and tensor-cache.json");
  const files = index.files.map((bf): PlannedFile => {
    const planned = plan.files.find((f) => f.url === urlOf(bf));
    if (!planned) throw new ModelImportError(`${bf.path} is not a file of ${target.modelId} as this app knows it`);
    if (planned.bytes !== undefined && planned.bytes !== bf.bytes)
      throw new ModelImportError(`${bf.path} is ${bf.bytes} bytes in the index but ${planned.bytes} in tensor-cache.json`);
    return { ...planned, bytes: bf.bytes };
  });
  const lacking = plan.files.find((f) => !files.some((x) => x.url === f.url));
  if (lacking) throw new ModelImportError(`it lacks ${lacking.url.split('/').pop()}, which ${target.modelId} needs`);
  return files;
}
