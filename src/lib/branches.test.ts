import { describe, expect, it } from 'vitest';
import { branchIndex, positionText, deleteMessage, lineage, selectPath, selectSibling, siblingsOf } from './branches';
import { ROOT, appendMessage, createConversation, visiblePath, type Conversation, type Message } from './conversation';

const msg = (id: string, role: Message['role'], parentId?: string): Message => ({
  id,
  role,
  content: id,
  state: 'done',
  createdAt: 0,
  ...(parentId !== undefined && { parentId }),
});

/** q1 → (a1 | a2 | a3), a3 → q2 → b1; a1 → q3 (an older branch). */
function tree(): Conversation {
  let c = createConversation(0);
  c = appendMessage(c, msg('q1', 'user'));
  c = appendMessage(c, msg('a1', 'assistant', 'q1'));
  c = appendMessage(c, msg('q3', 'user', 'a1'));
  c = appendMessage(c, msg('a2', 'assistant', 'q1'));
  c = appendMessage(c, msg('a3', 'assistant', 'q1'));
  c = appendMessage(c, msg('q2', 'user', 'a3'));
  c = appendMessage(c, msg('b1', 'assistant', 'q2'));
  return c;
}
const ids = (ms: readonly Message[]) => ms.map((m) => m.id);

describe('alternatives', () => {
  it('lists the siblings in creation order with the position of each', () => {
    const c = tree();
    expect(ids(siblingsOf(c, 'a2').siblings)).toEqual(['a1', 'a2', 'a3']);
    expect(siblingsOf(c, 'a2').index).toBe(1);
    expect(positionText(branchIndex(c).get('a3'))).toBe('3/3');
    expect(positionText(branchIndex(c).get('q1'))).toBeUndefined();
    expect(siblingsOf(c, 'nope')).toEqual({ siblings: [], index: -1 });
    const all = branchIndex(c);
    expect(all.get('a2')).toEqual({ index: 1, count: 3 });
    expect(all.get('q1')).toEqual({ index: 0, count: 1 });
    expect(all.get('b1')).toEqual({ index: 0, count: 1 });
  });

  it('pages to the previous and next alternative, and the path follows the chosen one', () => {
    const c = tree();
    expect(ids(visiblePath(c))).toEqual(['q1', 'a3', 'q2', 'b1']);
    const back = selectSibling(c, 'a3', -1);
    expect(ids(visiblePath(back))).toEqual(['q1', 'a2']);
    const first = selectSibling(back, 'a2', -1);
    expect(ids(visiblePath(first))).toEqual(['q1', 'a1', 'q3']);
    expect(selectSibling(first, 'a1', -1)).toBe(first);
    expect(selectSibling(c, 'a3', 1)).toBe(c);
    expect(ids(visiblePath(selectSibling(first, 'a1', 1)))).toEqual(['q1', 'a2']);
  });

  it('makes any message visible by selecting its lineage', () => {
    const c = tree();
    expect(ids(lineage(c, 'q3'))).toEqual(['q1', 'a1', 'q3']);
    expect(lineage(c, 'nope')).toEqual([]);
    expect(ids(visiblePath(selectPath(c, 'q3')))).toEqual(['q1', 'a1', 'q3']);
    expect(selectPath(c, 'nope')).toBe(c);
  });
});

describe('deleting', () => {
  it('removes a message and everything after it, showing the alternative before it', () => {
    const c = deleteMessage(tree(), 'a3', 5);
    expect(ids(c.messages)).toEqual(['q1', 'a1', 'q3', 'a2']);
    expect(ids(visiblePath(c))).toEqual(['q1', 'a2']);
    expect(c.selected).not.toHaveProperty('a3');
    expect(c.selected).not.toHaveProperty('q2');
    expect(c.updatedAt).toBe(5);
  });

  it('shows the alternative after it when it was the first', () => {
    const c = deleteMessage(selectSibling(selectSibling(tree(), 'a3', -1), 'a2', -1), 'a1');
    expect(ids(visiblePath(c))).toEqual(['q1', 'a2']);
    expect(ids(c.messages)).toEqual(['q1', 'a2', 'a3', 'q2', 'b1']);
  });

  it('leaves the shown branch alone when a hidden alternative goes', () => {
    const c = deleteMessage(tree(), 'a1');
    expect(ids(visiblePath(c))).toEqual(['q1', 'a3', 'q2', 'b1']);
    expect(positionText(branchIndex(c).get('a3'))).toBe('2/2');
  });

  it('ends the path at the parent when the message had no alternative', () => {
    const c = deleteMessage(tree(), 'q2');
    expect(ids(visiblePath(c))).toEqual(['q1', 'a3']);
  });

  it('empties the conversation when its only first message goes', () => {
    const c = deleteMessage(tree(), 'q1');
    expect(c.messages).toEqual([]);
    expect(c.selected).toEqual({});
    expect(visiblePath(c)).toEqual([]);
  });

  it('keeps a first message alternative under ROOT', () => {
    // An explicit undefined parent places a message first, beside q1.
    let c = appendMessage(tree(), { ...msg('q0', 'user'), parentId: undefined }, 1);
    c = appendMessage(c, { ...msg('q0b', 'user'), parentId: undefined });
    expect(positionText(branchIndex(c).get('q0b'))).toBe('3/3');
    expect(c.selected?.[ROOT]).toBe('q0b');
    const d = deleteMessage(c, 'q0b');
    expect(d.selected?.[ROOT]).toBe('q0');
    expect(deleteMessage(d, 'nope')).toBe(d);
  });
});
