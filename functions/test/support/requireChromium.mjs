// npm test's first step: the browser tests drive a local Chromium through playwright-core, which
// downloads none. Without one, stop at once with how to get it, before minutes of build and tests.
// The path is the one functions/test/support/browser.ts launches.
import { accessSync, constants } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  accessSync(chromium, constants.X_OK);
} catch {
  console.error(`npm test needs Chromium at ${chromium}: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to one.`);
  process.exit(1);
}
