import { describe, expect, it } from 'vitest';
import { ROOT, visiblePath, type Conversation, type Message } from './conversation';
import { describeMerge, mergeConversation, mergeImport } from './conversation-merge';

const msg = (id: string, createdAt: number, parentId?: string): Message => ({
  id,
  role: 'user',
  content: id,
  state: 'done',
  createdAt,
  ...(parentId ? { parentId } : {}),
});
const conv = (id: string, updatedAt: number, messages: Message[], extra: Partial<Conversation> = {}): Conversation => ({
  id,
  title: id,
  createdAt: 0,
  updatedAt,
  messages,
  ...extra,
});

describe('merging imported conversations', () => {
  it('adds new ids, leaves identical ones alone: the same file twice adds nothing', () => {
    const here = [conv('a', 5, [msg('1', 1)])];
    const file = [conv('a', 5, [msg('1', 1)]), conv('b', 9, [msg('2', 2)])];
    const first = mergeImport(here, file);
    expect(first.conversations.map((c) => c.id)).toEqual(['b', 'a']);
    expect(first.changed.map((c) => c.id)).toEqual(['b']);
    expect([first.added, first.merged, first.unchanged]).toEqual([1, 0, 1]);
    expect(first.conversations[1]).toBe(here[0]);
    const second = mergeImport(first.conversations, file);
    expect(second.changed).toEqual([]);
    expect(second.conversations).toEqual(first.conversations);
    expect([second.added, second.merged, second.unchanged]).toEqual([0, 0, 2]);
  });

  it('counts what was added, merged and already here', () => {
    const here = [conv('a', 5, [msg('1', 1)]), conv('b', 5, [msg('2', 1)])];
    const file = [conv('a', 6, [msg('1', 1)]), conv('b', 5, [msg('2', 1)]), conv('c', 1, []), conv('d', 1, [])];
    const r = mergeImport(here, file);
    expect([r.added, r.merged, r.unchanged]).toEqual([2, 1, 1]);
    expect(r.changed.map((c) => c.id)).toEqual(['a', 'c', 'd']);
    expect(r.conversations.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('unions the message trees of two copies; the later copy decides title, settings and selection', () => {
    const here = conv('a', 5, [msg('u', 1), msg('r1', 2, 'u')], { title: 'Mine', selected: { [ROOT]: 'u', u: 'r1' } });
    const theirs = conv('a', 7, [msg('u', 1), msg('r2', 3, 'u')], { title: 'Theirs', selected: { u: 'r2' }, settings: { temperature: 0 } });
    const m = mergeConversation(here, theirs);
    expect(m.messages.map((x) => x.id)).toEqual(['u', 'r1', 'r2']);
    expect(m.title).toBe('Theirs');
    expect(m.settings).toEqual({ temperature: 0 });
    expect(m.updatedAt).toBe(7);
    expect(m.selected).toEqual({ [ROOT]: 'u', u: 'r2' });
    expect(visiblePath(m).map((x) => x.id)).toEqual(['u', 'r2']);
    // The other way round the copy here is later: its title and choice stay, the file's branch is added.
    const back = mergeConversation(theirs, { ...here, updatedAt: 9 });
    expect(back.title).toBe('Mine');
    expect(back.selected).toEqual({ [ROOT]: 'u', u: 'r1' });
    expect(back.messages.map((x) => x.id)).toEqual(['u', 'r1', 'r2']);
  });

  it('keeps the copy here on a tie, adding only messages it lacks', () => {
    const here = conv('a', 5, [msg('u', 1)], { title: 'Mine' });
    const file = conv('a', 5, [msg('u', 1), msg('v', 2, 'u')], { title: 'Theirs' });
    const m = mergeConversation(here, file);
    expect(m.title).toBe('Mine');
    expect(m.messages.map((x) => x.id)).toEqual(['u', 'v']);
    expect(mergeConversation(here, { ...file, messages: [msg('u', 1)] })).toBe(here);
    expect(mergeConversation(here, { ...file, updatedAt: 6 })).not.toBe(here);
  });

  it('drops selections the union makes meaningless and leaves none when nothing is left', () => {
    const here = conv('a', 1, [msg('u', 1)], { selected: { zzz: 'u' } });
    const m = mergeConversation(here, conv('a', 2, [msg('v', 2, 'u')]));
    expect(m).not.toHaveProperty('selected');
  });

  it('says what happened', () => {
    const r = (added: number, merged: number, unchanged: number) => ({ conversations: [], changed: [], added, merged, unchanged });
    expect(describeMerge(r(0, 0, 3))).toBe('Nothing new: every conversation in the file is already here.');
    expect(describeMerge(r(0, 0, 0))).toBe('The file holds no conversations.');
    expect(describeMerge(r(2, 1, 0))).toBe('Imported: 2 conversations added, 1 conversation merged.');
    expect(describeMerge(r(1, 0, 4))).toBe('Imported: 1 conversation added, 4 already here.');
    expect(describeMerge(r(0, 3, 0))).toBe('Imported: 3 conversations merged.');
    expect(describeMerge(r(1, 1, 0))).toBe('Imported: 1 conversation added, 1 conversation merged.');
  });
});
