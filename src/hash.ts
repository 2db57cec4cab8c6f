import { createHash } from 'node:crypto';

/** sha256 of bytes or a string, as lower-case hex. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * An article's id comes from its extracted text, so the same article reached
 * through two inputs (a copy on disk and in a JSON dump) is stored once, and ids
 * are the same in every database built from the same inputs.
 */
export function articleIdFor(text: string): string {
  return `a${sha256(text.normalize('NFC')).slice(0, 12)}`;
}
