import type { RawReply } from './contract/routes.js';

/** A CSV file the browser saves under `fileName` rather than shows; sent chunk by chunk as it is read. */
export const csvDownload = (fileName: string, chunks: AsyncIterable<Uint8Array>): { status: 200; headers: Record<string, string>; raw: RawReply } => ({
  status: 200,
  headers: { 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
  raw: { bytes: chunks, contentType: 'text/csv; charset=utf-8' },
});
