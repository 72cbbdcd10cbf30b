// The camera: getUserMedia, a <video> preview and frame grabs through a <canvas>. Only APIs that every current
// browser and WebView has (no ImageCapture, OffscreenCanvas or requestVideoFrameCallback).

export type CameraProblem = 'denied' | 'none' | 'busy' | 'insecure' | 'unsupported';

export class CameraError extends Error {
  constructor(readonly problem: CameraProblem) {
    super(problem);
    this.name = 'CameraError';
  }
}

/** What went wrong, from a getUserMedia rejection's name (old WebViews use the pre-standard names). */
export function problemOf(errorName: string): CameraProblem {
  switch (errorName) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'none';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    default:
      return 'busy';
  }
}

export async function openCamera(video: HTMLVideoElement): Promise<MediaStream> {
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  if (!devices?.getUserMedia) throw new CameraError(window.isSecureContext ? 'unsupported' : 'insecure');
  let stream: MediaStream;
  try {
    stream = await devices.getUserMedia({
      audio: false,
      video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (err) {
    throw new CameraError(problemOf(err instanceof Error ? err.name : ''));
  }
  video.srcObject = stream;
  await video.play().catch(() => {
    // Autoplay of a muted inline video is allowed everywhere; if a WebView still refuses, the 'playing' event
    // fires on the first user gesture and the page waits for it.
  });
  return stream;
}

export function stopCamera(stream: MediaStream | null, video: HTMLVideoElement): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
  video.srcObject = null;
}

let shared: HTMLCanvasElement | undefined;

/** Draws the current frame scaled so its longer side is at most maxSide; returns the canvas context. */
function draw(video: HTMLVideoElement, maxSide: number): CanvasRenderingContext2D | null {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h) return null;
  shared ??= document.createElement('canvas');
  const canvas = shared;
  const scale = Math.min(1, maxSide / Math.max(w, h));
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  return ctx;
}

/** The current frame as base64 JPEG (no data-URI prefix), or null before the first frame. */
export function grabJpeg(video: HTMLVideoElement, maxSide: number, quality: number): string | null {
  const ctx = draw(video, maxSide);
  if (!ctx) return null;
  const url = ctx.canvas.toDataURL('image/jpeg', quality);
  const comma = url.indexOf(',');
  return comma < 0 ? null : url.slice(comma + 1);
}

/** A tiny RGBA copy of the current frame, for the light and motion measures. */
export function grabPixels(video: HTMLVideoElement, maxSide: number): Uint8ClampedArray | null {
  const ctx = draw(video, maxSide);
  return ctx ? ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height).data : null;
}
