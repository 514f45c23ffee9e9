// Saving text the app made (conversation exports) as a file the person downloads. Runs on the
// page; a Blob URL, so nothing goes over the network, revoked once the click has started it.

export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference once started; revoking on the next task frees the Blob.
  setTimeout(() => URL.revokeObjectURL(url));
}
