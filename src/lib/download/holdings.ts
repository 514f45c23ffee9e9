// Which models the store holds and which stored files each one needs, when several model ids share
// files (28 pairs of WebLLM's prebuilt ids share one weights URL, many share a model library).
// Pure: plans and the stored file list in, rows and deletion sets out. Invariants: a file is
// counted once in the total; deleting a model removes only files no other held model needs.

import type { ModelFile } from './files';
import type { ModelPlan } from './plan';

export interface Candidate {
  modelId: string;
  plan: ModelPlan;
  /** The user downloaded or loaded it (kept in the store's index). */
  registered: boolean;
}

export interface Holding {
  modelId: string;
  plan: ModelPlan;
  /** Stored bytes of the files it needs. */
  bytes: number;
  filesPresent: number;
  offlineReady: boolean;
  /** Other held models needing some of the same stored files, and those files' bytes. */
  sharedWith: string[];
  sharedBytes: number;
}

export const fileKey = (f: Pick<ModelFile, 'scope' | 'url'>): string => `${f.scope} ${f.url}`;

/** A stored file counts only when complete (its size is the one the source states). */
function presentBytes(f: ModelFile, stored: ReadonlyMap<string, number>): number | undefined {
  const b = stored.get(fileKey(f));
  return b === undefined || (f.bytes !== undefined && b !== f.bytes) ? undefined : b;
}

/**
 * Registered models with a stored file, then (for files stored before the index existed, or by
 * WebLLM itself) any other model that needs a stored file no listed model needs, in catalog order.
 */
export function listHoldings(candidates: readonly Candidate[], stored: ReadonlyMap<string, number>): Holding[] {
  const claimed = new Map<string, string[]>();
  const listed: Candidate[] = [];
  const take = (c: Candidate) => {
    listed.push(c);
    for (const f of c.plan.files)
      if (presentBytes(f, stored) !== undefined) claimed.set(fileKey(f), [...(claimed.get(fileKey(f)) ?? []), c.modelId]);
  };
  const hasStored = (c: Candidate) => c.plan.files.some((f) => presentBytes(f, stored) !== undefined);
  for (const c of candidates) if (c.registered && hasStored(c)) take(c);
  for (const c of candidates) {
    if (c.registered) continue;
    if (c.plan.files.some((f) => presentBytes(f, stored) !== undefined && !claimed.has(fileKey(f)))) take(c);
  }
  return listed.map((c) => {
    let bytes = 0;
    let present = 0;
    let sharedBytes = 0;
    const sharedWith = new Set<string>();
    for (const f of c.plan.files) {
      const b = presentBytes(f, stored);
      if (b === undefined) continue;
      present++;
      bytes += b;
      const others = (claimed.get(fileKey(f)) ?? []).filter((id) => id !== c.modelId);
      if (others.length) {
        sharedBytes += b;
        others.forEach((id) => sharedWith.add(id));
      }
    }
    return {
      modelId: c.modelId,
      plan: c.plan,
      bytes,
      filesPresent: present,
      offlineReady: c.plan.complete && present === c.plan.files.length,
      sharedWith: [...sharedWith],
      sharedBytes,
    };
  });
}

/** Stored bytes of all held models, each file once. */
export function distinctBytes(holdings: readonly Holding[], stored: ReadonlyMap<string, number>): number {
  const seen = new Set<string>();
  let total = 0;
  for (const h of holdings) {
    for (const f of h.plan.files) {
      const b = presentBytes(f, stored);
      if (b === undefined || seen.has(fileKey(f))) continue;
      seen.add(fileKey(f));
      total += b;
    }
  }
  return total;
}

/** The files of `plan` that no other held model needs. */
export function filesOnlyFor(modelId: string, plan: ModelPlan, holdings: readonly Holding[]): ModelFile[] {
  const needed = new Set<string>();
  for (const h of holdings) if (h.modelId !== modelId) for (const f of h.plan.files) needed.add(fileKey(f));
  return plan.files.filter((f) => !needed.has(fileKey(f)));
}
