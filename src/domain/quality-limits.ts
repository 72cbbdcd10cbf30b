// What the server accepts of a face photo, in one place: the engine's quality gates (src/adapters/face-engine/
// quality.ts) use these numbers, and the hosted page receives them in its boot data and decides when to capture
// from them, so a frame the page captured is not refused for a reason the page checked (issue #12). Pure data.

export interface QualityLimits {
  /** Face box side in pixels of the decoded image; below it the 112 px template is mostly interpolation. */
  minFaceSize: number;
  /** Laplacian energy of the aligned face (the engine's sharpness()); heavy blur sits far below it. */
  minSharpness: number;
  /** Degrees, from the 5 landmarks (a coarse estimate, see poseFromLandmarks). */
  maxYaw: number;
  maxPitch: number;
}

export const qualityLimits: Readonly<QualityLimits> = Object.freeze({
  minFaceSize: 40,
  minSharpness: 12,
  maxYaw: 50,
  maxPitch: 45,
});

/**
 * How far inside the server's limits the page asks a face to be before it captures (`enter`), and how far it may
 * drift before the page takes that back (`leave`): shares of the way from a limit towards the ideal. The preview is
 * measured on a smaller frame a moment before the capture, so the page keeps a margin; the gap between the two keeps
 * the guidance from flipping every frame around one value.
 */
export const captureMargins = Object.freeze({ enter: 0.3, leave: 0.1 });

/**
 * Mean luma 0..255 of the face (not the whole frame), measured by the page. The dev webcam clip's backlit face sits
 * at 55-76 and is accepted; at half its brightness (about 33) the server refuses half the frames as blurred
 * (faceTooBlurred: the sharpness measure falls with contrast), so below 40 the page asks for light first.
 */
export const faceLight = Object.freeze({ minLuma: 40, maxLuma: 230 });
