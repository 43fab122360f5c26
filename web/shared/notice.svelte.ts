/** One polite live region for short confirmations ("Added … to your cart"). */
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
