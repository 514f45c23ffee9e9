// The reference engine's "/echo " command: the rest of the message is streamed back verbatim,
// a few characters per token. "/request" streams back what the engine was asked with (after the
// context fitting), so tests can see that settings reach the engine.

export const ECHO_PREFIX = '/echo ';
const CHARS_PER_PIECE = 3;

/** The pieces still to stream when `already` has been: the leading pieces it holds are dropped. */
export function echoRemainder(pieces: readonly string[], already: string): string[] {
  let at = 0;
  let i = 0;
  while (i < pieces.length && already.startsWith(pieces[i]!, at)) at += pieces[i++]!.length;
  return pieces.slice(i);
}

export const REQUEST_COMMAND = '/request';

interface AskedWith {
  messages: readonly { role: string; content: string }[];
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}

/** The request in one line: its system prompt, how many messages, and the sampling fields. */
export function describeRequest(r: AskedWith): string {
  const system = r.messages[0]?.role === 'system' ? r.messages[0].content : 'none';
  const shown = (v: number | undefined) => (v === undefined ? 'unset' : String(v));
  return `system: ${system}; messages: ${r.messages.length}; temperature: ${shown(r.temperature)}; top-p: ${shown(r.topP)}; max tokens: ${shown(r.maxTokens)}`;
}

/** The pieces to stream for an echo or request message, or undefined when the message is neither. */
export function splitEcho(message: string, request?: AskedWith): string[] | undefined {
  if (request && message.trim() === REQUEST_COMMAND) return pieces(describeRequest(request));
  if (!message.startsWith(ECHO_PREFIX)) return undefined;
  return pieces(message.slice(ECHO_PREFIX.length));
}

function pieces(text: string): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += CHARS_PER_PIECE) pieces.push(chars.slice(i, i + CHARS_PER_PIECE).join(''));
  return pieces;
}
