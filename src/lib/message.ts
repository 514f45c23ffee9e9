// The one way to turn a thrown value into text for a message or a note. Thrown values are not
// always Errors (WebLLM and TVM throw strings in places), so everything that builds a message from
// a caught value goes through here.

/** The message of an Error, or the value itself as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
