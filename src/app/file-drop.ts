// Files dropped on an element or pasted into it, as one callback: the chat takes documents this
// way beside its file picker. While files are dragged over, the element has the `dropping` class.
// Drags and pastes without files (text) are left to the browser.

export function fileDrop(node: HTMLElement, onfiles: (files: File[]) => void): { destroy(): void } {
  const filesOf = (data: DataTransfer | null): File[] => [...(data?.files ?? [])];
  const over = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    node.classList.add('dropping');
  };
  const leave = () => node.classList.remove('dropping');
  const take = (e: Event, data: DataTransfer | null) => {
    leave();
    const files = filesOf(data);
    if (!files.length) return;
    e.preventDefault();
    onfiles(files);
  };
  const drop = (e: DragEvent) => take(e, e.dataTransfer);
  const paste = (e: ClipboardEvent) => take(e, e.clipboardData);
  node.addEventListener('dragover', over);
  node.addEventListener('dragleave', leave);
  node.addEventListener('drop', drop);
  node.addEventListener('paste', paste);
  return {
    destroy() {
      node.removeEventListener('dragover', over);
      node.removeEventListener('dragleave', leave);
      node.removeEventListener('drop', drop);
      node.removeEventListener('paste', paste);
    },
  };
}
