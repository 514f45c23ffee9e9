// Remote servers as the settings store them (lib/remote/endpoint.ts has the type): what is read
// back is trusted no further than any stored record (an older build, a hand edit), and every new
// server gets a short id that its models' catalog ids (`remote:<id>/<model>`) will carry for good.
// Invariants: ids are unique and contain no "/", base URLs are canonical and unique.

import type { RemoteEndpoint, RemoteModelInfo } from './endpoint';
import { normaliseBaseUrl } from './ids';
import { isRecord } from '../field-readers';

const isFilled = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function normaliseModels(raw: unknown[]): RemoteModelInfo[] {
  const models: RemoteModelInfo[] = [];
  for (const m of raw) {
    if (!isRecord(m) || !isFilled(m.id)) continue;
    const ctx = m.contextWindow;
    models.push(Number.isInteger(ctx) && (ctx as number) > 0 ? { id: m.id, contextWindow: ctx as number } : { id: m.id });
  }
  return models;
}

function normaliseEndpoint(raw: unknown): RemoteEndpoint | undefined {
  if (!isRecord(raw) || !isFilled(raw.id) || raw.id.includes('/') || typeof raw.baseUrl !== 'string') return undefined;
  let baseUrl: string;
  try {
    baseUrl = normaliseBaseUrl(raw.baseUrl);
  } catch {
    return undefined;
  }
  const label = typeof raw.label === 'string' ? raw.label.trim() : '';
  const e: RemoteEndpoint = { id: raw.id, baseUrl, label: label || new URL(baseUrl).host };
  if (isFilled(raw.apiKey)) e.apiKey = raw.apiKey;
  if (Array.isArray(raw.models)) e.models = normaliseModels(raw.models);
  return e;
}

/** The stored servers that make sense, in order; of two with one id or one base URL the first is kept. */
export function normaliseEndpoints(raw: unknown): RemoteEndpoint[] {
  if (!Array.isArray(raw)) return [];
  const out: RemoteEndpoint[] = [];
  const ids = new Set<string>();
  const urls = new Set<string>();
  for (const item of raw) {
    const e = normaliseEndpoint(item);
    if (!e || ids.has(e.id) || urls.has(e.baseUrl)) continue;
    ids.add(e.id);
    urls.add(e.baseUrl);
    out.push(e);
  }
  return out;
}

/**
 * A short id for a new server from its host and port ("http://GPU.lab:8000/v1" → "gpu-lab-8000"):
 * lower-case letters, digits and "-", never one in `taken` ("-2", "-3"… are appended).
 */
export function endpointIdFor(baseUrl: string, taken: ReadonlySet<string>): string {
  let hostAndPort = '';
  try {
    const url = new URL(baseUrl);
    hostAndPort = `${url.hostname}-${url.port}`;
  } catch {
    // Not a URL: the generic name below.
  }
  const slug =
    hostAndPort
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'server';
  if (!taken.has(slug)) return slug;
  let n = 2;
  while (taken.has(`${slug}-${n}`)) n++;
  return `${slug}-${n}`;
}
