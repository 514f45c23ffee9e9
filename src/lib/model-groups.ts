// How the model picker reads raw MLC ids: family, parameter size and variant parsed from the id,
// chat models grouped by family (groups in the order of their best-placed member, members by
// size), the search that narrows them, and the short labels a person reads ("4k context").
// Pure: the page passes the catalog already ordered by fit; embedding models never appear here
// (they cannot chat).

import type { CatalogEntry } from './catalog';
import { kvBytesPerValue, kvCacheBytes } from './gpu/kv-shapes';
import type { KvShape } from './gpu/types';
import { parseRemoteModelId } from './remote/ids';

export interface ModelName {
  /** "Llama 3.2", "Qwen2.5 Coder", "SmolLM2". */
  family: string;
  /** "1B", "360M", "E2B", "mini"; empty when the id names no size. */
  size: string;
  /** Parameters in billions when the size is a number, for ordering. */
  billions?: number;
  /** What follows the size: "Instruct", "it", "Chat v1.0". */
  variant: string;
}

export interface ModelGroup {
  family: string;
  entries: CatalogEntry[];
}

// Sizes as ids spell them: 1B, 0.5B, 1_6b, 360M, E2B (effective), 7b.
const SIZE = /^(E?)(\d+(?:[._]\d+)?)([BM])$/i;
// Size words in place of a parameter count (Phi-3.5-mini).
const SIZE_WORDS = new Set(['mini', 'small', 'medium', 'tiny']);
// Words that describe a family's line rather than one size (Qwen2.5-Coder-7B: the family is "Qwen2.5 Coder").
const SUFFIX = /-q\d+f(?:16|32)(?:_\d+)?(?:-MLC)?(?:-.*)?$/i;

/** Family, size and variant of a model id ("Llama-3.2-1B-Instruct-q4f16_1-MLC" → Llama 3.2 · 1B · Instruct). */
export function parseModelName(modelId: string): ModelName {
  // A remote model is named by its server's id, without the organisation ("meta-llama/Llama-3.3-70B-Instruct").
  const remote = parseRemoteModelId(modelId)?.modelId;
  const base = (remote ? remote.slice(remote.lastIndexOf('/') + 1) : modelId).replace(SUFFIX, '');
  const parts = base.split('-').filter(Boolean);
  const at = parts.findIndex((p, i) => i > 0 && (SIZE.test(p) || SIZE_WORDS.has(p.toLowerCase())));
  if (at < 0) return { family: parts.join(' ') || modelId, size: '', variant: '' };
  const token = parts[at]!;
  const name: ModelName = { family: parts.slice(0, at).join(' '), size: token, variant: parts.slice(at + 1).join(' ') };
  const m = SIZE.exec(token);
  if (m) {
    const n = Number(m[2]!.replace('_', '.'));
    name.size = `${m[1]!.toUpperCase()}${m[2]!.replace('_', '.')}${m[3]!.toUpperCase()}`;
    name.billions = m[3]!.toUpperCase() === 'M' ? n / 1000 : n;
  }
  return name;
}

/** "Llama 3.2 1B Instruct": the id as a person reads it (quantisation left out). */
export function displayName(modelId: string): string {
  // A server's own id is what its users know the model by (without its organisation: the title has it whole).
  const remote = parseRemoteModelId(modelId)?.modelId;
  if (remote) return remote.slice(remote.lastIndexOf('/') + 1);
  const n = parseModelName(modelId);
  return [n.family, n.size, n.variant].filter(Boolean).join(' ');
}

/** Models a person can chat with: embedding models are left out. */
export function chatModels(catalog: readonly CatalogEntry[]): CatalogEntry[] {
  return catalog.filter((e) => e.kind !== 'embedding');
}

/** Lower-cased text a search matches against: the id and its parsed name. */
function haystack(e: CatalogEntry): string {
  const n = parseModelName(e.id);
  return `${e.id} ${n.family} ${n.size} ${n.variant} ${e.quantization}${e.kind === 'vlm' ? ' vision' : ''} ${e.server ?? ''}`.toLowerCase();
}

/** Entries whose id or name contains every word of `query` (any order, any case). */
export function searchModels(catalog: readonly CatalogEntry[], query: string): CatalogEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...catalog];
  return catalog.filter((e) => {
    const text = haystack(e);
    return words.every((w) => text.includes(w));
  });
}

/**
 * Chat models grouped by family: groups in the order their first member has in `ordered` (the
 * page passes the catalog best fit first); members by `classOf` (the page passes the fit, so what
 * runs comes first), then parameter size, then `ordered`'s order.
 */
export function groupModels(ordered: readonly CatalogEntry[], classOf: (e: CatalogEntry) => number = () => 0): ModelGroup[] {
  const groups = new Map<string, { entry: CatalogEntry; rank: number; cls: number; billions: number }[]>();
  chatModels(ordered).forEach((entry, rank) => {
    const n = parseModelName(entry.id);
    // A server's models stay together, apart from this device's.
    const family = entry.source === 'remote' ? `On ${entry.server ?? 'a server'}` : n.family;
    const list = groups.get(family) ?? [];
    list.push({ entry, rank, cls: classOf(entry), billions: n.billions ?? Number.POSITIVE_INFINITY });
    groups.set(family, list);
  });
  return [...groups].map(([family, list]) => ({
    family,
    entries: list.sort((a, b) => a.cls - b.cls || a.billions - b.billions || a.rank - b.rank).map((x) => x.entry),
  }));
}

/** "4k context", "512 tokens context": the context a load actually uses. */
export function contextLabel(tokens: number): string {
  if (tokens >= 1024) return `${Math.round(tokens / 1024)}k context`;
  return `${tokens} tokens context`;
}

/** Stored bits per weight of a quantisation code: q4 and q3 with one f16/f32 scale per 32 weights, q0 unquantised. */
function bitsPerWeight(quantization: string): number | undefined {
  const m = /^q(\d+)f(16|32)/.exec(quantization);
  if (!m) return undefined;
  const q = Number(m[1]);
  const scale = Number(m[2]) / 32;
  return q === 0 ? Number(m[2]) : q === 4 || q === 3 ? q + scale : undefined;
}

/**
 * About how many bytes a download fetches: parameters (from the id) times stored bits per weight;
 * where the id gives no count (or an "effective" one, E2B), WebLLM's GPU figure without the KV
 * cache it measured at the compiled context. 0 for models that need no download, undefined where
 * neither is known.
 */
export function downloadEstimate(entry: CatalogEntry, shape: KvShape | undefined): number | undefined {
  if (entry.source === 'reference' || entry.source === 'remote') return 0;
  const name = parseModelName(entry.id);
  const bits = bitsPerWeight(entry.quantization);
  if (name.billions !== undefined && !name.size.startsWith('E') && bits !== undefined) return Math.round((name.billions * 1e9 * bits) / 8);
  if (entry.vramBytes === undefined) return undefined;
  if (!shape || shape.nonStandard) return entry.vramBytes;
  return Math.max(0, entry.vramBytes - kvCacheBytes(shape, entry.contextWindow, kvBytesPerValue(entry.quantization)));
}
