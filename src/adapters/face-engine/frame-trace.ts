import { SCENE_HEIGHT, SCENE_WIDTH } from '../../domain/frame-continuity.js';
import type { FrameTrace } from '../../ports/face-engine.js';
import type { Landmarks68 } from './landmarks.js';
import { cropResize, type ImagePyramid, toGray } from './raw-image.js';

/**
 * What the active challenge judges a burst on as a video: the frame size, a grey thumbnail of the whole frame (the
 * scene behind the face, its light) and the 68 landmarks. At 32x24 no face can be recognised from the thumbnail.
 */
export function frameTrace(img: ImagePyramid, points: Landmarks68): FrameTrace {
  const rect = { x: 0, y: 0, width: img.width, height: img.height };
  const grey = toGray(cropResize(img, rect, SCENE_WIDTH, SCENE_HEIGHT), SCENE_WIDTH * SCENE_HEIGHT);
  return {
    width: img.width,
    height: img.height,
    scene: Uint8Array.from(grey, (g) => Math.round(g)),
    points: Float32Array.from(points),
  };
}
