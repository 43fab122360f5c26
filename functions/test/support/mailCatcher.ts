import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailCatcher } from '../../src/local/mailCatcher.js';

/** A mail as the catcher's REST API answers it (GET /api/email). */
export interface CaughtMail {
  id: string;
  subject: string;
  from: Array<{ address: string; name?: string }>;
  to: Array<{ address: string; name?: string }>;
  headers: Record<string, string>;
  text: string;
  html: string;
}

export interface TestMailCatcher {
  smtpUrl: string;
  webUrl: string;
  /** Every mail caught so far, oldest first. */
  mails(): Promise<CaughtMail[]>;
  /** Waits until `count` mails match, and answers them. */
  waitFor(match: (mail: CaughtMail) => boolean, count?: number, timeoutMs?: number): Promise<CaughtMail[]>;
  close(): Promise<void>;
}

/** The same mail catcher npm start runs, on free loopback ports, keeping its mails in a temp folder of its own. */
export async function startTestMailCatcher(): Promise<TestMailCatcher> {
  const directory = mkdtempSync(join(tmpdir(), 'bestbuy-mail-'));
  const catcher = await startMailCatcher({ smtpPort: 0, webPort: 0, directory });
  const mails = async (): Promise<CaughtMail[]> => {
    const response = await fetch(`${catcher.webUrl}/api/email`);
    if (!response.ok) throw new Error(`the mail catcher answered ${response.status}`);
    return (await response.json()) as CaughtMail[];
  };
  return {
    smtpUrl: catcher.smtpUrl,
    webUrl: catcher.webUrl,
    mails,
    async waitFor(match, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await mails()).filter(match);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`the mail catcher has ${found.length} matching mail(s) after ${timeoutMs} ms, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await catcher.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
