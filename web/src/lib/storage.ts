/** localStorage/sessionStorage that never throws: storage can be full, disabled or hold junk. */
export function load<T>(storage: Storage, key: string, valid: (value: unknown) => T | undefined): T | undefined {
  try {
    const raw = storage.getItem(key);
    return raw === null ? undefined : valid(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

export function save(storage: Storage, key: string, value: unknown): void {
  try {
    if (value === undefined) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // full or disabled: the page still works for this visit
  }
}
