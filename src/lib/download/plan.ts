// Every file a model needs, found the way WebLLM 0.2.86's reload finds them: the package manifest
// first (when the record names one), then the chat config and tensor-cache.json it points to, then
// the shards and the tokenizer those name. The caller supplies the JSON files (read from the store,
// or downloaded first), so the same plan serves downloads, offline-readiness and deletion.

import { sha256Hex } from '../bytes';
import { messageOf } from '../message';
import {
  bodyFiles,
  canonicalJson,
  headFiles,
  packageFile,
  parseManifest,
  parsePackage,
  tokenizerFileOf,
  type ModelFile,
  type ModelPackage,
  type RecordFiles,
} from './files';

export interface ModelPlan {
  files: ModelFile[];
  /** False while a JSON file the plan depends on is missing: more files may follow. */
  complete: boolean;
  /** Why the files cannot make a WebLLM model (set only when one was read and is wrong). */
  error?: string;
}

/** Parsed JSON of a file, or undefined when it is not there. Reads may run in parallel. */
type JsonReader = (f: ModelFile) => Promise<unknown>;

export async function planModel(record: RecordFiles, pageUrl: string, readJson: JsonReader): Promise<ModelPlan> {
  const files: ModelFile[] = [];
  let pkg: ModelPackage | undefined;
  const pkgFile = packageFile(record);
  try {
    if (pkgFile) {
      files.push(pkgFile);
      const json = await readJson(pkgFile);
      if (json === undefined) return { files: [...files, ...headFiles(record, pageUrl)], complete: false };
      pkg = parsed(() => parsePackage(json));
      await checkInterfaceId(pkg);
    }
    const head = headFiles(record, pageUrl, pkg);
    files.push(...head);
    const [config, tensorCache] = await settleAll([readJson(head[0]!), readJson(head[1]!)]);
    if (config === undefined || tensorCache === undefined) return { files, complete: false };
    const tokenizer = tokenizerFileOf(config, record.overrides);
    if (!tokenizer)
      throw new PlanError(
        'its mlc-chat-config.json lists neither tokenizer.json nor tokenizer.model in tokenizer_files, so WebLLM cannot load it',
      );
    files.push(
      ...bodyFiles(
        record,
        head[1]!.url,
        parsed(() => parseManifest(tensorCache)),
        tokenizer,
      ),
    );
    return { files, complete: true };
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    return { files, complete: false, error: err.message };
  }
}

class PlanError extends Error {}

function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new PlanError(messageOf(err));
  }
}

/** Like Promise.all, but waits for every promise (no read or write is left running) before rejecting. */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** WebLLM refuses a manifest whose interface_id is not the SHA-256 of its canonical tasks. */
async function checkInterfaceId(pkg: ModelPackage): Promise<void> {
  const hex = await sha256Hex(new TextEncoder().encode(canonicalJson({ tasks: pkg.tasks })));
  if (pkg.interfaceId !== `sha256:${hex}`) throw new PlanError('mlc-model-manifest.json: interface_id does not match its tasks');
}
