import { AppError } from '../errors.js';
import type { ImageFetcher } from '../ports/image-fetcher.js';

// Images arrive as raw base64, as data URIs, or (where the deployment allows it) as https URLs.

const DATA_URI = /^data:image\/[a-z0-9.+-]+;base64,/i;
const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
/** Verifik refuses image strings too short to be an image with 412 `only_images_in_base64`. */
const MIN_BASE64_LENGTH = 100;

export interface ImageInputOptions {
  /** Null when image URLs are disabled (the default). */
  fetcher: ImageFetcher | null;
}

export type ImageReader = (value: string, field: string) => Promise<Buffer>;

export function createImageReader(options: ImageInputOptions): ImageReader {
  return async (value, field) => {
    const trimmed = value.trim();
    if (/^https?:\/\//i.test(trimmed)) {
      if (!options.fetcher) {
        throw new AppError('missingParameter', {
          message: `"${field}" image URLs are disabled on this server; send the image as base64`,
        });
      }
      return options.fetcher.fetch(new URL(trimmed));
    }
    const b64 = trimmed.replace(DATA_URI, '').replace(/-/g, '+').replace(/_/g, '/');
    if (b64.length < MIN_BASE64_LENGTH || !BASE64.test(b64)) {
      throw new AppError('onlyImagesInBase64');
    }
    return Buffer.from(b64, 'base64');
  };
}
