import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import { AcsMailer } from '../../src/adapters/mail/acsMailer.js';

/**
 * The Azure Communication Services adapter through the real SDK, against a stand-in for the
 * email service's REST API (POST /emails:send, then the operation it answers with). The SDK
 * sends a bearer token only over https, so the stand-in has a certificate of its own, which this
 * file alone trusts. Not Azure itself: what the service then does with the mail is not tested here.
 */
describe('Azure Communication Services Email adapter', () => {
  let server: Server;
  let endpoint: string;
  let dir: string;
  const sends: Array<{ url: string; authorization: string | undefined; body: Record<string, any> }> = [];
  let outcome: 'Succeeded' | 'Failed' = 'Succeeded';
  const rejectUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-acs-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        if (request.method === 'POST' && request.url?.startsWith('/emails:send')) {
          sends.push({ url: request.url, authorization: request.headers.authorization, body: JSON.parse(text) });
          response.writeHead(202, { 'operation-location': `${endpoint}/emails/operations/op-1?api-version=2023-03-31`, 'retry-after': '0', 'content-type': 'application/json' });
          return response.end(JSON.stringify({ id: 'op-1', status: 'Running' }));
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'op-1', status: outcome, ...(outcome === 'Failed' ? { error: { code: 'EmailDroppedAllRecipientsSuppressed', message: 'every recipient is suppressed' } } : {}) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterAll(async () => {
    if (rejectUnauthorized === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = rejectUnauthorized;
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const scopes: string[] = [];
  const identity: TokenCredential = {
    getToken: async (scope) => {
      scopes.push(...[scope].flat());
      return { token: 'identity-token', expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  const mail = { to: 'ada@example.com', toName: 'Ada Shopper', subject: 'Order BB-7K3Q9P was cancelled', text: 'plain', html: '<p>html</p>', messageId: '<o1.cancelled@0a1b.azurecomm.net>' };

  it('sends from the sender address with the managed identity, text, HTML and the Message-ID, and waits for the outcome', async () => {
    const mailer = new AcsMailer(endpoint, 'BestBuy Store <DoNotReply@0a1b.azurecomm.net>', async () => identity);
    await mailer.send(mail);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.authorization).toBe('Bearer identity-token');
    expect(scopes).toContain('https://communication.azure.com//.default');
    expect(sends[0]!.body).toMatchObject({
      senderAddress: 'DoNotReply@0a1b.azurecomm.net',
      content: { subject: mail.subject, plainText: 'plain', html: '<p>html</p>' },
      recipients: { to: [{ address: 'ada@example.com', displayName: 'Ada Shopper' }] },
      headers: { 'Message-ID': mail.messageId },
    });
  });

  it('fails the try when the service reports the mail not sent', async () => {
    outcome = 'Failed';
    const mailer = new AcsMailer(endpoint, 'DoNotReply@0a1b.azurecomm.net', async () => identity);
    // The SDK's poller throws on a failed operation; the sender records its message and tries again later.
    await expect(mailer.send(mail)).rejects.toThrow(/long-running operation has failed/);
  });
});
