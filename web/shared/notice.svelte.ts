/**
 * One polite live region for short confirmations ("Added … to your cart"), shown in the flow of
 * the page under its header so it never covers a control.
 */
export const notice = $state({ text: '' });

let timer: ReturnType<typeof setTimeout> | undefined;

export function announce(text: string): void {
  clearTimeout(timer);
  notice.text = '';
  // A fresh text node, so screen readers repeat an identical message.
  setTimeout(() => {
    notice.text = text;
    timer = setTimeout(() => (notice.text = ''), 5000);
  }, 50);
}

/**
 * Navigating leaves the last notice behind: it spoke of the page left. A notice announced on the
 * way ("Created …", then the new page) shows after its short delay, so it survives.
 */
export function dismissNotice(): void {
  clearTimeout(timer);
  notice.text = '';
}
