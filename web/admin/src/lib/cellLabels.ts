/**
 * Readies the admin's data tables for a phone, where admin.css shows each row as a card of
 * "Label value" lines so no table needs sideways scrolling: every cell gets its column's header
 * as `data-label`, and every part its table role, which some browsers drop from a table whose parts
 * are laid out as blocks. Done once here for every page, as their tables appear and change,
 * rather than in each page's markup.
 */
export function labelTableCells(root: HTMLElement): () => void {
  const set = (element: Element, name: string, value: string) => element.getAttribute(name) !== value && element.setAttribute(name, value);

  function label(): void {
    for (const table of Array.from(root.querySelectorAll('table.data'))) {
      set(table, 'role', 'table');
      const headers = Array.from(table.querySelectorAll('thead th'), (header) => header.textContent?.trim() ?? '');
      for (const group of Array.from(table.querySelectorAll('thead, tbody, tfoot'))) set(group, 'role', 'rowgroup');
      for (const row of Array.from(table.querySelectorAll('tr'))) {
        set(row, 'role', 'row');
        const head = row.parentElement?.tagName === 'THEAD';
        let column = 0;
        for (const cell of Array.from(row.children) as HTMLTableCellElement[]) {
          set(cell, 'role', head ? 'columnheader' : cell.tagName === 'TH' ? 'rowheader' : 'cell');
          if (!head) set(cell, 'data-label', headers[column] ?? '');
          column += cell.colSpan || 1;
        }
      }
    }
  }
  // Attribute changes are not observed, so setting them here never calls this again.
  const observer = new MutationObserver(label);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  label();
  return () => observer.disconnect();
}
