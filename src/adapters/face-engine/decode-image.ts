import sharp from 'sharp';
import { AppError } from '../../errors.js';
import type { RgbImage } from './raw-image.js';

// Decoding is the first line of defence against hostile uploads: sharp refuses anything it cannot fully decode
// (failOn 'error' catches truncated JPEGs) and anything above the pixel cap before allocating it.

export const MAX_INPUT_PIXELS = 50_000_000;
/**
 * Long side after decoding. A face of 112 px or more (the recogniser's input) fits easily, and a 4032 px phone photo
 * is more than 4x larger, so libjpeg decodes it at 1/4 scale directly (1280 would only allow 1/2). Same dev accuracy
 * as 1280.
 */
export const MAX_SIDE = 960;

export interface DecodeOptions {
  maxSide?: number;
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<RgbImage> {
  const maxSide = options.maxSide ?? MAX_SIDE;
  if (bytes.byteLength === 0) throw new AppError('imageEmpty');
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      // Transparent cut-outs get a white background, as they would on a web page, instead of the hidden RGB values.
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new AppError('imageChannels', { shown: info.channels });
    }
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    if (/pixel limit/i.test(reason)) throw new AppError('imageTooLarge', { cause: err });
    throw new AppError('imageInvalid', { cause: err });
  }
}
