// The shortcut mapping: each action on its key, and never where the key belongs to something else.
import { describe, expect, it } from 'vitest';
import { shortcutFor, shortcutList, type KeyContext, type KeyPress } from './shortcuts';

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});
const ctx = (c: Partial<KeyContext> = {}): KeyContext => ({
  focus: 'other',
  composerEmpty: true,
  generating: false,
  dialogOpen: false,
  mac: false,
  ...c,
});

describe('shortcutFor', () => {
  it('new chat on Ctrl+Shift+O, ⌘+Shift+O on a Mac, not the other way round', () => {
    expect(shortcutFor(key('O', { ctrlKey: true, shiftKey: true }), ctx())).toBe('new-chat');
    expect(shortcutFor(key('o', { ctrlKey: true, shiftKey: true }), ctx({ focus: 'composer' }))).toBe('new-chat');
    expect(shortcutFor(key('O', { metaKey: true, shiftKey: true }), ctx({ mac: true }))).toBe('new-chat');
    expect(shortcutFor(key('O', { metaKey: true, shiftKey: true }), ctx())).toBeUndefined();
    expect(shortcutFor(key('O', { ctrlKey: true, shiftKey: true }), ctx({ mac: true }))).toBeUndefined();
    expect(shortcutFor(key('o', { ctrlKey: true }), ctx())).toBeUndefined();
  });

  it('Shift+Esc focuses the composer from anywhere, even a text field', () => {
    expect(shortcutFor(key('Escape', { shiftKey: true }), ctx({ focus: 'text' }))).toBe('focus-composer');
  });

  it('Esc stops only while generating, and not from another text field', () => {
    expect(shortcutFor(key('Escape'), ctx({ generating: true }))).toBe('stop');
    expect(shortcutFor(key('Escape'), ctx({ generating: true, focus: 'composer' }))).toBe('stop');
    expect(shortcutFor(key('Escape'), ctx({ generating: true, focus: 'text' }))).toBeUndefined();
    expect(shortcutFor(key('Escape'), ctx())).toBeUndefined();
  });

  it('ArrowUp edits the last message only from an empty composer, when not generating', () => {
    expect(shortcutFor(key('ArrowUp'), ctx({ focus: 'composer' }))).toBe('edit-last');
    expect(shortcutFor(key('ArrowUp'), ctx({ focus: 'composer', composerEmpty: false }))).toBeUndefined();
    expect(shortcutFor(key('ArrowUp'), ctx({ focus: 'composer', generating: true }))).toBeUndefined();
    expect(shortcutFor(key('ArrowUp'), ctx())).toBeUndefined();
    expect(shortcutFor(key('ArrowUp', { shiftKey: true }), ctx({ focus: 'composer' }))).toBeUndefined();
  });

  it('help on "?" outside text fields, and on Ctrl+/ anywhere', () => {
    expect(shortcutFor(key('?', { shiftKey: true }), ctx())).toBe('help');
    expect(shortcutFor(key('?', { shiftKey: true }), ctx({ focus: 'composer' }))).toBeUndefined();
    expect(shortcutFor(key('?', { shiftKey: true }), ctx({ focus: 'text' }))).toBeUndefined();
    expect(shortcutFor(key('/', { ctrlKey: true }), ctx({ focus: 'composer' }))).toBe('help');
    expect(shortcutFor(key('/', { metaKey: true }), ctx({ mac: true }))).toBe('help');
  });

  it('an open dialog owns the keyboard, and Alt combinations are left alone', () => {
    expect(shortcutFor(key('Escape'), ctx({ generating: true, dialogOpen: true }))).toBeUndefined();
    expect(shortcutFor(key('O', { ctrlKey: true, shiftKey: true }), ctx({ dialogOpen: true }))).toBeUndefined();
    expect(shortcutFor(key('O', { ctrlKey: true, shiftKey: true, altKey: true }), ctx())).toBeUndefined();
  });
});

describe('shortcutList', () => {
  it('lists every action once, with the platform modifier', () => {
    const list = shortcutList(false);
    expect(new Set(list.map((s) => s.action)).size).toBe(5);
    expect(list[0]!.keys).toEqual([['Ctrl', 'Shift', 'O']]);
    expect(shortcutList(true)[0]!.keys).toEqual([['⌘', 'Shift', 'O']]);
  });
});
