import { StoreError } from '../../domain/errors.js';
import { decodeCursor } from './database.js';

export function cursorKey(cursor: string | undefined, parts: number): string[] | null {
  if (cursor === undefined) return null;
  const key = decodeCursor(cursor, parts);
  if (!key) {
    throw new StoreError('invalid', 'invalid_cursor', 'The cursor is not one this API returned.', [
      { path: 'cursor', message: 'unknown cursor' },
    ]);
  }
  return key;
}
