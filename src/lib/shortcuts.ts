// The keyboard shortcuts: which key, in which situation, means which action, and how the help
// dialog lists them. Pure (the page passes in the key and where focus is), so the mapping is
// tested without a browser. Keys avoid the browser's and screen readers' own: no plain letters
// outside text fields except "?", nothing on Alt, and Ctrl/⌘ only with Shift or on "/".

export type ShortcutAction = 'new-chat' | 'focus-composer' | 'stop' | 'edit-last' | 'help';

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface KeyContext {
  /** Where focus is: the composer, another text field (input, textarea, select, editable), or elsewhere. */
  focus: 'composer' | 'text' | 'other';
  composerEmpty: boolean;
  generating: boolean;
  /** A dialog is open: it owns the keyboard (Escape closes it). */
  dialogOpen: boolean;
  /** ⌘ instead of Ctrl. */
  mac: boolean;
}

export function shortcutFor(e: KeyPress, ctx: KeyContext): ShortcutAction | undefined {
  if (ctx.dialogOpen || e.altKey) return undefined;
  const mod = ctx.mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  const plain = !e.ctrlKey && !e.metaKey;
  if (mod && e.shiftKey && e.key.toLowerCase() === 'o') return 'new-chat';
  if (mod && (e.key === '/' || e.key === '?')) return 'help';
  if (!plain) return undefined;
  if (e.key === 'Escape' && e.shiftKey) return 'focus-composer';
  // Escape in another text field is that field's own (cancel a rename, say).
  if (e.key === 'Escape' && ctx.generating && ctx.focus !== 'text') return 'stop';
  if (e.key === 'ArrowUp' && !e.shiftKey && ctx.focus === 'composer' && ctx.composerEmpty && !ctx.generating) return 'edit-last';
  if (e.key === '?' && ctx.focus === 'other') return 'help';
  return undefined;
}

export interface ShortcutHelp {
  action: ShortcutAction;
  /** Each alternative is a list of keys pressed together. */
  keys: string[][];
  description: string;
}

/** What the help dialog lists, in this order. */
export function shortcutList(mac: boolean): ShortcutHelp[] {
  const mod = mac ? '⌘' : 'Ctrl';
  return [
    { action: 'new-chat', keys: [[mod, 'Shift', 'O']], description: 'New conversation' },
    { action: 'focus-composer', keys: [['Shift', 'Esc']], description: 'Focus the message box' },
    { action: 'stop', keys: [['Esc']], description: 'Stop generating (from the message box or the page)' },
    { action: 'edit-last', keys: [['↑']], description: 'Edit your last message (in an empty message box)' },
    { action: 'help', keys: [['?'], [mod, '/']], description: 'Show these shortcuts' },
  ];
}
