import { AppError } from '../../errors.js';
import type { DetectedFace, FaceBox } from '../../ports/face-engine.js';

// Which face of a photo is its subject (issue #11): the one a person would call the main face. Ranking by the
// detector box's longer side let a bystander cut by the photo's edge win over the centred person: the detector
// gives a half-visible face a box as tall as the whole face (its width stops at the edge), so its longer side
// stays large.
//
// Measured on composites of the fixtures (a face placed across the right edge, 30-70 % inside): the box's left,
// top and bottom edges stay where the whole face's are, its right edge stops within a few pixels of the image's.
// Whole faces have boxes of width/height 0.62-0.84 (median 0.705, 189 faces of the dev set that touch no edge), so a
// box touching an edge and narrower (or flatter) than that is a cut face, and its whole extent is recovered from
// the other side.

/** Median width/height of the detector's box around a whole face. */
export const FACE_ASPECT = 0.7;
/** Faces smaller than this fraction of the main face are background (bystanders), not a second subject. */
export const BACKGROUND_FACE_RATIO = 0.5;
/** A face with less than this share of its extent inside the image is a bystander whatever its size. */
export const MIN_SUBJECT_VISIBLE_SHARE = 0.5;
/** A box edge this close to the image's edge (share of the image's shorter side) touches it (measured: up to 0.021). */
const EDGE_TOUCH = 0.04;
/** Centrality is (1 - this x distance from the centre / half the diagonal)²: 1 at the centre, 0.16 mid-edge. */
const OFF_CENTRE_WEIGHT = 0.75;
/** Sharpness at which a face counts half (blurred background faces lose to the one in focus). */
const HALF_SHARPNESS = 12;

export interface ImageSize {
  width: number;
  height: number;
}

export interface FaceProminence {
  /** The whole face's box, with the part beyond a cutting edge restored. */
  extent: FaceBox;
  /** Share of `extent` inside the image, 0..1. */
  visibleShare: number;
  /** Area of the face inside the image, px². */
  visibleArea: number;
  /** Height of a whole face of that area (for a whole face, about its box's longer side). */
  visibleSize: number;
  /** visibleArea x visibleShare x centrality x detector score x sharpness factor; the subject has the highest. */
  prominence: number;
}

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The whole face's box: a box that touches an edge and is too narrow (flat) for a face is grown past that edge. */
export function faceExtent(box: FaceBox, image: ImageSize): FaceBox {
  const touch = EDGE_TOUCH * Math.min(image.width, image.height);
  const w = box.right - box.left;
  const h = box.bottom - box.top;
  const out = { ...box };
  if (w < FACE_ASPECT * h) {
    const missing = FACE_ASPECT * h - w;
    const atLeft = box.left <= touch;
    const atRight = box.right >= image.width - touch;
    if (atLeft && atRight) {
      out.left -= missing / 2;
      out.right += missing / 2;
    } else if (atLeft) out.left -= missing;
    else if (atRight) out.right += missing;
  } else if (h < w / FACE_ASPECT) {
    const missing = w / FACE_ASPECT - h;
    const atTop = box.top <= touch;
    const atBottom = box.bottom >= image.height - touch;
    if (atTop && atBottom) {
      out.top -= missing / 2;
      out.bottom += missing / 2;
    } else if (atTop) out.top -= missing;
    else if (atBottom) out.bottom += missing;
  }
  return out;
}

export function faceProminence(face: DetectedFace, image: ImageSize): FaceProminence {
  const extent = faceExtent(face.box, image);
  const w = extent.right - extent.left;
  const h = extent.bottom - extent.top;
  const left = clip(extent.left, 0, image.width);
  const right = clip(extent.right, 0, image.width);
  const top = clip(extent.top, 0, image.height);
  const bottom = clip(extent.bottom, 0, image.height);
  const visibleArea = (right - left) * (bottom - top);
  const visibleShare = w > 0 && h > 0 ? visibleArea / (w * h) : 0;
  const visibleSize = Math.sqrt(visibleArea / FACE_ASPECT);
  // From the centre of the part of the face that is visible.
  const dx = (left + right) / 2 - image.width / 2;
  const dy = (top + bottom) / 2 - image.height / 2;
  const centrality = (1 - OFF_CENTRE_WEIGHT * (Math.hypot(dx, dy) / (Math.hypot(image.width, image.height) / 2))) ** 2;
  const s = face.quality.sharpness;
  // Unknown sharpness (0: not measured) does not count against a face.
  const focus = s > 0 ? s / (s + HALF_SHARPNESS) : 1;
  return {
    extent,
    visibleShare,
    visibleArea,
    visibleSize,
    // The share counts twice: a cut face loses area and, with it, the features (eyes, mouth) that make it a face.
    prominence: visibleArea * visibleShare * centrality * face.detectionScore * focus,
  };
}

/**
 * The subject of a photo: the most prominent face (area inside the image, centrality, detector score, sharpness). In 'single'
 * mode another face that is at least half the subject's visible size and mostly inside the photo is a second
 * subject (`multipleFaces`); smaller or mostly cut-off faces are bystanders. 'dominant' takes the subject anyway.
 */
export function chooseFace<F extends DetectedFace>(faces: F[], selection: 'single' | 'dominant', image: ImageSize): F {
  const ranked = faces
    .map((face) => ({ face, p: faceProminence(face, image) }))
    .sort((a, b) => b.p.prominence - a.p.prominence);
  const main = ranked[0];
  if (!main) throw new AppError('noFace');
  if (selection === 'single') {
    const others = ranked
      .slice(1)
      .filter(
        ({ p }) =>
          p.visibleShare >= MIN_SUBJECT_VISIBLE_SHARE && p.visibleSize >= BACKGROUND_FACE_RATIO * main.p.visibleSize,
      );
    if (others.length > 0) throw new AppError('multipleFaces');
  }
  return main.face;
}
