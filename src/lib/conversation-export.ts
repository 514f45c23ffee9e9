// What leaves the app when a person exports: every conversation as one versioned JSON document
// (the whole tree: alternatives, selected branches, per-conversation settings), or the open one as
// Markdown (only the visible path, roles as headings). Pure: the page turns the text into a Blob
// download. `conversation-import.ts` reads the JSON format back; a change to its shape bumps
// EXPORT_VERSION and teaches the reader the older versions.

import { settleInterrupted, sortByRecent, visiblePath, type Conversation } from './conversation';
import { foldForSearch } from './conversation-search';

export const EXPORT_FORMAT = 'airgap-conversations';
/** 1: `{ format, version, exportedAt, conversations: Conversation[] }`, messages as a tree through parentId. */
export const EXPORT_VERSION = 1;

export interface ConversationsExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  conversations: Conversation[];
}

export function buildExport(list: readonly Conversation[], now = Date.now()): ConversationsExport {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    conversations: sortByRecent(list).map(settleInterrupted),
  };
}

export function exportJson(list: readonly Conversation[], now = Date.now()): string {
  return JSON.stringify(buildExport(list, now), null, 2);
}

export function exportFileName(now = Date.now()): string {
  return `airgap-conversations-${new Date(now).toISOString().slice(0, 10)}.json`;
}

const ROLE_HEADINGS = { system: 'System', user: 'User', assistant: 'Assistant' } as const;

/** The visible path as Markdown: the title, the system prompt if the conversation has one, then each turn. */
export function conversationMarkdown(c: Conversation): string {
  const parts = [`# ${c.title}`];
  const system = c.settings?.systemPrompt?.trim();
  if (system) parts.push(`## System prompt\n\n${system}`);
  for (const m of visiblePath(c)) {
    let body = m.content;
    if (m.state === 'error') body += `${body ? '\n\n' : ''}_This reply failed: ${m.error ?? 'unknown error'}_`;
    else if (m.state === 'stopped') body += `${body ? '\n\n' : ''}_(stopped)_`;
    parts.push(`## ${ROLE_HEADINGS[m.role]}\n\n${body}`);
  }
  return `${parts.join('\n\n')}\n`;
}

const FILE_STEM_MAX_CHARS = 60;

/** A file name from a title: ASCII letters and digits joined by dashes, never empty. */
export function markdownFileName(title: string): string {
  const stem = foldForSearch(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, FILE_STEM_MAX_CHARS)
    .replace(/-$/, '');
  return `${stem || 'conversation'}.md`;
}
