import { describe, expect, it } from 'vitest';
import { moveActive } from './listbox';

describe('listbox keys', () => {
  it('moves by one, by a page and to the ends, staying inside the list', () => {
    expect(moveActive('ArrowDown', 0, 3)).toBe(1);
    expect(moveActive('ArrowDown', 2, 3)).toBe(2);
    expect(moveActive('ArrowUp', 0, 3)).toBe(0);
    expect(moveActive('PageDown', 1, 20)).toBe(9);
    expect(moveActive('PageUp', 3, 20)).toBe(0);
    expect(moveActive('End', 0, 20)).toBe(19);
    expect(moveActive('Home', 7, 20)).toBe(0);
  });

  it('ignores other keys and empty lists', () => {
    expect(moveActive('a', 0, 3)).toBeUndefined();
    expect(moveActive('ArrowDown', 0, 0)).toBeUndefined();
  });
});
