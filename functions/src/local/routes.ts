/** Matches a path below /api against a Functions route template such as "orders/{id}". */
export function matchRoute(template: string, path: string): Record<string, string> | null {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const segment = got[index]!;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) {
      if (segment === '') return null;
      try {
        params[name] = decodeURIComponent(segment);
      } catch {
        return null; // malformed %-escape: no route matches, as in Azure
      }
    } else if (part.toLowerCase() !== segment.toLowerCase()) {
      return null;
    }
  }
  return params;
}
