import { createHash } from 'node:crypto';
import type { ImageType } from '../../domain/images.js';
import type { ImageContent, ImageStore } from '../../ports.js';
import type { SqliteFile } from './database.js';

/** Pictures in the store's SQLite file, named by a hash of their bytes. */
export class SqliteImageStore implements ImageStore {
  constructor(private readonly file: SqliteFile) {}

  async put(image: ImageContent): Promise<{ id: string }> {
    const id = createHash('sha256').update(image.bytes).digest('base64url');
    await this.file.write(() =>
      this.file
        .statement('INSERT INTO images (id, content_type, bytes) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING')
        .run(id, image.contentType, Buffer.from(image.bytes)),
    );
    return { id };
  }

  async get(id: string): Promise<ImageContent | null> {
    const row = this.file
      .statement<[string], { content_type: ImageType; bytes: Buffer }>('SELECT content_type, bytes FROM images WHERE id = ?')
      .get(id);
    return row ? { contentType: row.content_type, bytes: new Uint8Array(row.bytes) } : null;
  }

  async ping(): Promise<void> {
    this.file.statement('SELECT 1 FROM images LIMIT 1').get();
    await this.file.ping();
  }
}
