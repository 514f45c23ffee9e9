import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from './conversation';
import { filterConversations, foldForSearch, matchesSearch, searchTerms } from './conversation-search';

const m = (id: string, content: string, parentId?: string): Message => ({
  id,
  role: 'user',
  content,
  state: 'done',
  createdAt: 0,
  ...(parentId ? { parentId } : {}),
});
const conv = (id: string, title: string, messages: Message[] = []): Conversation => ({ id, title, createdAt: 0, updatedAt: 0, messages });

describe('conversation search', () => {
  it('folds case and accents', () => {
    expect(foldForSearch('Résumé ÉCOLE Ǆ')).toBe('resume ecole dz');
    expect(searchTerms('  Crème   BRÛLÉE ')).toEqual(['creme', 'brulee']);
    expect(searchTerms('   ')).toEqual([]);
    expect(searchTerms('a\t\nb')).toEqual(['a', 'b']);
  });

  it('matches the title and the text of every branch, not only the visible path', () => {
    const c = conv('a', 'Travel plans', [m('1', 'first question'), m('2', 'an old reply', '1'), m('3', 'the new reply', '1')]);
    c.selected = { '1': '3' };
    expect(matchesSearch(c, searchTerms('travel'))).toBe(true);
    expect(matchesSearch(c, searchTerms('OLD reply'))).toBe(true);
    expect(matchesSearch(c, searchTerms('missing'))).toBe(false);
  });

  it('needs every word, each anywhere in the conversation', () => {
    const c = conv('a', 'Café budget', [m('1', 'numbers for Lisbon')]);
    expect(matchesSearch(c, searchTerms('lisbon cafe'))).toBe(true);
    expect(matchesSearch(c, searchTerms('lisbon porto'))).toBe(false);
  });

  it('filters a list and keeps its order; an empty query keeps everything', () => {
    const list = [conv('a', 'Naïve Bayes'), conv('b', 'Shopping'), conv('c', 'naive questions')];
    expect(filterConversations(list, 'NAIVE').map((c) => c.id)).toEqual(['a', 'c']);
    expect(filterConversations(list, '').map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(filterConversations(list, 'zebra')).toEqual([]);
  });
});
