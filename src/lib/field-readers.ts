// Field readers for data from outside (an import file): each returns the clean value or throws
// Invalid naming `where` and what was found. A Rules<T> object has one rule per field of T, so a
// field added to T fails to compile where T is read until its rule is written.

export class Invalid extends Error {}

export type Reader<V> = (v: unknown, where: string) => V;
export interface Rule<V, Opt extends boolean> {
  optional: Opt;
  read: Reader<V>;
}
/** One rule per field of T, optional exactly where T's field is: a field added to T fails to compile here until it is read. */
export type Rules<T> = { [K in keyof T]-?: Rule<Exclude<T[K], undefined>, undefined extends T[K] ? true : false> };

export const req = <V>(read: Reader<V>): Rule<V, false> => ({ optional: false, read });
export const opt = <V>(read: Reader<V>): Rule<V, true> => ({ optional: true, read });

export function fail(where: string, expected: string, v: unknown): never {
  throw new Invalid(`${where} must be ${expected} (found ${describe(v)})`);
}

export const text: Reader<string> = (v, where) => (typeof v === 'string' ? v : fail(where, 'text', v));
export const id: Reader<string> = (v, where) => (typeof v === 'string' && v !== '' ? v : fail(where, 'a non-empty text id', v));
// Number.isFinite never converts: "1" and null are not finite numbers.
export const num: Reader<number> = (v, where) => (Number.isFinite(v) ? (v as number) : fail(where, 'a number', v));
export const bool: Reader<boolean> = (v, where) => (typeof v === 'boolean' ? v : fail(where, 'true or false', v));
export const oneOf =
  <T extends string>(...values: T[]): Reader<T> =>
  (v, where) =>
    values.includes(v as T) ? (v as T) : fail(where, `one of ${values.join(', ')}`, v);
export const nested =
  <T>(rules: Rules<T>): Reader<T> =>
  (v, where) =>
    readFields(v, rules, where);

export function readFields<T>(v: unknown, rules: Rules<T>, where: string): T {
  if (!isRecord(v)) fail(where, 'an object', v);
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(rules) as [string, Rule<unknown, boolean>][]) {
    const value = v[key];
    if (value === undefined) {
      if (!rule.optional) throw new Invalid(`${where}: "${key}" is missing`);
      continue;
    }
    out[key] = rule.read(value, `${where}: "${key}"`);
  }
  return out as T;
}

/** Number.isInteger never converts ("1" is not one); as a guard it tells the type checker so. */
export function isWholeNumber(v: unknown): v is number {
  return Number.isInteger(v);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s);
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the text ${quote(v)}`;
  return `${typeof v} ${String(v)}`;
}
