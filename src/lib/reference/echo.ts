// The reference engine's "/echo " command: the rest of the message is streamed back verbatim,
// a few characters per token.

export const ECHO_PREFIX = '/echo ';
const CHARS_PER_PIECE = 3;

/** The pieces still to stream when `already` has been: the leading pieces it holds are dropped. */
export function echoRemainder(pieces: readonly string[], already: string): string[] {
  let at = 0;
  let i = 0;
  while (i < pieces.length && already.startsWith(pieces[i]!, at)) at += pieces[i++]!.length;
  return pieces.slice(i);
}

/** The pieces to stream for an echo message, or undefined when the message is not one. */
export function splitEcho(message: string): string[] | undefined {
  if (!message.startsWith(ECHO_PREFIX)) return undefined;
  const chars = Array.from(message.slice(ECHO_PREFIX.length));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += CHARS_PER_PIECE) pieces.push(chars.slice(i, i + CHARS_PER_PIECE).join(''));
  return pieces;
}
