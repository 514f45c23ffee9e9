// The user's settings as plain data, with validation: every override is clamped to a safe range
// and every correction comes with a message saying what was changed and why.

import { OVERFLOW_POLICIES, type OverflowPolicy } from './context-fit';
import { CACHE_BACKENDS, type CacheBackend } from './download/files';
import type { RemoteEndpoint } from './remote/endpoint';
import { normaliseEndpoints } from './remote/endpoint-settings';
import { MAX_DRAFT_TOKENS, SPEC_MODES, type SpecMode } from './speculative/types';
import { isThemeChoice, type ThemeChoice } from './theme';

export const SETTINGS_SCHEMA = 1;
export const MIN_CONTEXT_TOKENS = 256;
/** The largest reply length accepted: no browser model has a larger context window today. */
export const MAX_REPLY_TOKENS = 131072;
const MIN_TOP_P = 0.01;

export interface ModelOverrides {
  contextWindow?: number;
  draftTokens?: number;
  /** The draft model to load beside this one; "none" for none. */
  draftModelId?: string;
}

export interface Settings {
  temperature: number;
  topP: number;
  systemPrompt: string;
  /** The longest reply in tokens; absent = until the model stops (or the context window is full). */
  maxTokens?: number;
  /** What happens when a conversation outgrows the context window. */
  overflow: OverflowPolicy;
  /** The user's own GPU memory figure in GB; replaces the estimate when set. */
  gpuMemoryGB?: number;
  specMode: SpecMode;
  /** Colour the tokens that came from accepted drafts. */
  highlightDrafts: boolean;
  /** Where model files are stored (WebLLM's cacheBackend). */
  cacheBackend: CacheBackend;
  /** Hand downloads to the browser's Background Fetch where it has one (they go on with the tab closed, but store slower). */
  backgroundDownloads: boolean;
  /** URLs of WebLLM-format app configs (or mirror bases) whose models join the catalog. */
  modelSources: string[];
  /** OpenAI-compatible inference servers the user added (their API keys stay on this device). */
  remoteEndpoints: RemoteEndpoint[];
  perModel: Record<string, ModelOverrides>;
  /** Colour theme: follow the system, or always light or dark. */
  theme: ThemeChoice;
  /** The model loaded last: loaded again on start when it needs no download. */
  lastModelId?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  temperature: 0.7,
  topP: 0.95,
  systemPrompt: '',
  overflow: 'drop-oldest',
  specMode: 'auto',
  highlightDrafts: false,
  cacheBackend: 'cache',
  backgroundDownloads: true,
  modelSources: [],
  remoteEndpoints: [],
  perModel: {},
  theme: 'system',
};

interface Clamped {
  /** The value to store; undefined means "use the automatic value". */
  value: number | undefined;
  /** Set when the input was changed or refused. */
  message?: string;
}

function parse(input: string | number): number | undefined | 'empty' {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  const t = input.trim();
  if (t === '') return 'empty';
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function clampInt(input: string | number, min: number, max: number, what: string, unit: string): Clamped {
  const n = parse(input);
  if (n === 'empty') return { value: undefined };
  if (n === undefined) return { value: undefined, message: `“${String(input).trim()}” is not a number; ${what} stays automatic.` };
  const whole = Math.round(n);
  if (whole < min) return { value: min, message: `${what} must be at least ${min}${unit}; set to ${min}.` };
  if (whole > max) return { value: max, message: `${what} can be at most ${max}${unit} for this model; set to ${max}.` };
  if (whole !== n) return { value: whole, message: `${what} must be a whole number; set to ${whole}.` };
  return { value: whole };
}

export function clampContextWindow(input: string | number, compiledMax: number): Clamped {
  return clampInt(input, Math.min(MIN_CONTEXT_TOKENS, compiledMax), compiledMax, 'The context window', ' tokens');
}

export function clampDraftTokens(input: string | number): Clamped {
  return clampInt(input, 0, MAX_DRAFT_TOKENS, 'Draft tokens', '');
}

export function clampGpuMemory(input: string | number): Clamped {
  const n = parse(input);
  if (n === 'empty') return { value: undefined };
  if (n === undefined || n <= 0)
    return { value: undefined, message: `“${String(input).trim()}” is not a GPU memory size in GB; the estimate is used.` };
  if (n > 512) return { value: 512, message: 'GPU memory can be at most 512 GB; set to 512.' };
  if (n < 0.1) return { value: 0.1, message: 'GPU memory must be at least 0.1 GB; set to 0.1.' };
  return { value: Math.round(n * 10) / 10 };
}

export function clampTemperature(input: string | number): Clamped {
  const n = parse(input);
  if (n === 'empty' || n === undefined)
    return {
      value: DEFAULT_SETTINGS.temperature,
      message: `Temperature must be a number from 0 to 2; set to ${DEFAULT_SETTINGS.temperature}.`,
    };
  if (n < 0) return { value: 0, message: 'Temperature must be at least 0; set to 0.' };
  if (n > 2) return { value: 2, message: 'Temperature can be at most 2; set to 2.' };
  return { value: n };
}

export function clampTopP(input: string | number): Clamped {
  const n = parse(input);
  if (n === 'empty' || n === undefined)
    return { value: DEFAULT_SETTINGS.topP, message: `Top-p must be a number above 0, at most 1; set to ${DEFAULT_SETTINGS.topP}.` };
  if (n < MIN_TOP_P) return { value: MIN_TOP_P, message: `Top-p must be at least ${MIN_TOP_P}; set to ${MIN_TOP_P}.` };
  if (n > 1) return { value: 1, message: 'Top-p can be at most 1; set to 1.' };
  return { value: n };
}

/** Empty means "no limit" (the model stops by itself, or at the end of the context window). */
export function clampMaxTokens(input: string | number): Clamped {
  const n = parse(input);
  if (n === 'empty') return { value: undefined };
  if (n === undefined) return { value: undefined, message: `“${String(input).trim()}” is not a number; replies have no length limit.` };
  const whole = Math.round(n);
  if (whole < 1) return { value: 1, message: 'Max tokens must be at least 1; set to 1.' };
  if (whole > MAX_REPLY_TOKENS)
    return { value: MAX_REPLY_TOKENS, message: `Max tokens can be at most ${MAX_REPLY_TOKENS}; set to ${MAX_REPLY_TOKENS}.` };
  if (whole !== n) return { value: whole, message: `Max tokens must be a whole number; set to ${whole}.` };
  return { value: whole };
}

/**
 * Accepts stored data from any older build: unknown or broken fields fall back to defaults, and
 * every number goes through the same clamp as when it was typed (a stored record may predate a
 * limit, or have been written by hand).
 */
export function normaliseSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Settings>;
  const s: Settings = {
    temperature:
      typeof r.temperature === 'number' && r.temperature >= 0 && r.temperature <= 2 ? r.temperature : DEFAULT_SETTINGS.temperature,
    topP: typeof r.topP === 'number' && r.topP >= MIN_TOP_P && r.topP <= 1 ? r.topP : DEFAULT_SETTINGS.topP,
    systemPrompt: typeof r.systemPrompt === 'string' ? r.systemPrompt : '',
    overflow: OVERFLOW_POLICIES.includes(r.overflow as OverflowPolicy) ? (r.overflow as OverflowPolicy) : DEFAULT_SETTINGS.overflow,
    specMode: SPEC_MODES.includes(r.specMode as SpecMode) ? (r.specMode as SpecMode) : DEFAULT_SETTINGS.specMode,
    highlightDrafts: r.highlightDrafts === true,
    cacheBackend: CACHE_BACKENDS.includes(r.cacheBackend as CacheBackend) ? (r.cacheBackend as CacheBackend) : 'cache',
    backgroundDownloads: r.backgroundDownloads !== false,
    modelSources: Array.isArray(r.modelSources) ? r.modelSources.filter((u): u is string => typeof u === 'string' && u.length > 0) : [],
    remoteEndpoints: normaliseEndpoints(r.remoteEndpoints),
    perModel: {},
    theme: isThemeChoice(r.theme) ? r.theme : DEFAULT_SETTINGS.theme,
  };
  const maxTokens = typeof r.maxTokens === 'number' ? clampMaxTokens(r.maxTokens).value : undefined;
  if (maxTokens !== undefined) s.maxTokens = maxTokens;
  const gpu = typeof r.gpuMemoryGB === 'number' ? clampGpuMemory(r.gpuMemoryGB).value : undefined;
  if (gpu !== undefined) s.gpuMemoryGB = gpu;
  if (typeof r.lastModelId === 'string' && r.lastModelId) s.lastModelId = r.lastModelId;
  for (const [id, o] of Object.entries(typeof r.perModel === 'object' && r.perModel !== null ? r.perModel : {})) {
    const m: ModelOverrides = {};
    // The compiled maximum is the model's, unknown here: the load caps the context at it.
    const ctx = typeof o?.contextWindow === 'number' ? clampContextWindow(o.contextWindow, Number.MAX_SAFE_INTEGER).value : undefined;
    if (ctx !== undefined) m.contextWindow = ctx;
    const k = typeof o?.draftTokens === 'number' ? clampDraftTokens(o.draftTokens).value : undefined;
    if (k !== undefined) m.draftTokens = k;
    if (typeof o?.draftModelId === 'string' && o.draftModelId) m.draftModelId = o.draftModelId;
    if (Object.keys(m).length) s.perModel[id] = m;
  }
  return s;
}
