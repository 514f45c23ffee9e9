// Keyboard movement in a listbox driven from a combobox (aria-activedescendant): which option an
// Arrow, Page or Home/End key makes active. Pure; the picker owns focus and choosing.

const PAGE = 8;

/** The active index after `key` among `count` options, or undefined when `key` does not move. */
export function moveActive(key: string, active: number, count: number): number | undefined {
  if (count <= 0) return undefined;
  const to: Record<string, number> = {
    ArrowDown: active + 1,
    ArrowUp: active - 1,
    PageDown: active + PAGE,
    PageUp: active - PAGE,
    Home: 0,
    End: count - 1,
  };
  const next = to[key];
  return next === undefined ? undefined : Math.max(0, Math.min(count - 1, next));
}
