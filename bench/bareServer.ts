import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The yardstick: node:http that only parses the JSON body and answers 202. */
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const order = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    response.writeHead(202, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ accepted: order !== null }));
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
