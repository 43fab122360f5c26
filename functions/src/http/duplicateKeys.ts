/** An object or array the scan is inside: an object's keys so far, or an array's current index. */
type Frame = { keys: Set<string>; at: string } | { keys: null; at: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The path of the first key that appears twice in one object of a JSON text, such as
 * "items.0.quantity", or null when none does. JSON.parse keeps the last of them, so a body with
 * `"quantity": 1, "quantity": 99` would mean 99 to us and maybe 1 to whatever checked it first.
 * Only for text JSON.parse has accepted: it reads strings and brackets and trusts the rest. Keys
 * compare as decoded, so "\u0071uantity" is "quantity" too.
 */
export function duplicateKeyPath(json: string): string | null {
  const stack: Frame[] = [];
  let expectingKey = false;
  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (char === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (; json.charCodeAt(end) !== QUOTE; end++) {
        if (json.charCodeAt(end) === BACKSLASH) {
          escaped = true;
          end++;
        }
      }
      const frame = stack.at(-1);
      if (expectingKey && frame?.keys) {
        const key = escaped ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end);
        frame.at = key;
        if (frame.keys.has(key)) return stack.map((each) => each.at).join('.');
        frame.keys.add(key);
        expectingKey = false;
      }
      i = end;
    } else if (char === 0x7b /* { */) {
      stack.push({ keys: new Set(), at: '' });
      expectingKey = true;
    } else if (char === 0x5b /* [ */) {
      stack.push({ keys: null, at: 0 });
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      stack.pop();
      expectingKey = false;
    } else if (char === 0x2c /* , */) {
      const frame = stack.at(-1)!;
      if (frame.keys) expectingKey = true;
      else frame.at++;
    }
  }
  return null;
}
