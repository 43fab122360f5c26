import { createHash } from 'node:crypto';
import { BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/core-auth';
import type { Connection } from '../../config.js';
import { IMAGE_TYPES, type ImageType } from '../../domain/images.js';
import type { ImageContent, ImageStore } from '../../ports.js';

const isImageType = (value: string | undefined): value is ImageType => IMAGE_TYPES.includes(value as ImageType);

/** Product pictures as blobs named by a hash of their bytes, in one private container. */
export class BlobImageStore implements ImageStore {
  private readonly container: ContainerClient;
  private ready: Promise<unknown> | undefined;

  constructor(connection: Connection & { container: string }, credential: () => TokenCredential) {
    const service =
      'connectionString' in connection
        ? BlobServiceClient.fromConnectionString(connection.connectionString)
        : new BlobServiceClient(connection.endpoint, credential());
    this.container = service.getContainerClient(connection.container);
  }

  async put(image: ImageContent): Promise<{ id: string }> {
    await this.ensureContainer();
    const id = createHash('sha256').update(image.bytes).digest('base64url');
    try {
      await this.container.getBlockBlobClient(id).uploadData(image.bytes, {
        blobHTTPHeaders: { blobContentType: image.contentType, blobCacheControl: 'public, max-age=31536000, immutable' },
        conditions: { ifNoneMatch: '*' },
      });
    } catch (error) {
      // Same bytes, same name: the picture is there already.
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    }
    return { id };
  }

  async get(id: string): Promise<ImageContent | null> {
    try {
      const blob = this.container.getBlockBlobClient(id);
      const bytes = await blob.downloadToBuffer();
      const { contentType } = await blob.getProperties();
      return isImageType(contentType) ? { bytes: new Uint8Array(bytes), contentType } : null;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      throw error;
    }
  }

  async ping(): Promise<void> {
    await this.ensureContainer();
    await this.container.getProperties();
  }

  private ensureContainer(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}
