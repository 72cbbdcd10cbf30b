// Measures that tell a burst of camera frames from a set of still pictures. A camera filming a person keeps one
// scene, one light and one frame size from frame to frame, and the face moves a little between frames; a head turn
// moves the nose against the cheeks as a solid in 3D does, where a tilted print moves every point as one plane.
// Pictures stitched together, mirrored or warped break one of these.
// Pure maths over numbers the engine measured (FrameTrace): no pixels of the face.

/** Size of the grey scene thumbnail the engine keeps of each frame. */
export const SCENE_WIDTH = 32;
export const SCENE_HEIGHT = 24;

/** One analysed frame, as the continuity checks see it. */
export interface TracedFrame {
  width: number;
  height: number;
  /** SCENE_WIDTH x SCENE_HEIGHT grey levels. */
  scene: ArrayLike<number>;
  /** 68 landmarks in frame pixels (x0, y0, x1, y1, …). */
  points: ArrayLike<number>;
}

const px = (p: ArrayLike<number>, i: number) => p[i * 2] as number;
const py = (p: ArrayLike<number>, i: number) => p[i * 2 + 1] as number;

/** Box around the 68 landmarks. */
export function landmarkBox(points: ArrayLike<number>) {
  let left = Number.POSITIVE_INFINITY;
  let top = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < 68; i++) {
    left = Math.min(left, px(points, i));
    right = Math.max(right, px(points, i));
    top = Math.min(top, py(points, i));
    bottom = Math.max(bottom, py(points, i));
  }
  return { left, top, right, bottom, size: Math.max(right - left, bottom - top) };
}

/** Distance between the eye centres, the face's own unit of length. */
export function interocular(points: ArrayLike<number>): number {
  const mean = (from: number) => {
    let x = 0;
    let y = 0;
    for (let i = from; i < from + 6; i++) {
      x += px(points, i);
      y += py(points, i);
    }
    return [x / 6, y / 6] as const;
  };
  const [ax, ay] = mean(36);
  const [bx, by] = mean(42);
  return Math.hypot(bx - ax, by - ay) || 1;
}

/**
 * How far the face moved between two frames: the shift of its centre and the change of its size, both relative to
 * its size. A person in front of a camera moves a fraction of their face between frames a few hundred ms apart.
 */
export function faceMotion(a: TracedFrame, b: TracedFrame): { shift: number; scale: number } {
  const ba = landmarkBox(a.points);
  const bb = landmarkBox(b.points);
  const shift = Math.hypot(
    (bb.left + bb.right - ba.left - ba.right) / 2,
    (bb.top + bb.bottom - ba.top - ba.bottom) / 2,
  );
  const size = Math.max(1, (ba.size + bb.size) / 2);
  return { shift: shift / size, scale: Math.max(ba.size, bb.size) / Math.max(1, Math.min(ba.size, bb.size)) };
}

/** Share of the face box added on each side to mask the head, hair and neck out of the scene comparison. */
const HEAD_MARGIN = 0.6;

/**
 * The background of two frames compared: normalised cross-correlation of the scene thumbnails outside both heads
 * (invariant to the camera's exposure changes), the background's texture (its standard deviation in grey levels:
 * a plain wall says little), and the change of its mean brightness.
 */
export function sceneMatch(a: TracedFrame, b: TracedFrame): { ncc: number; texture: number; light: number } {
  const mask = headMask(a, b);
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    n++;
    sa += a.scene[i] as number;
    sb += b.scene[i] as number;
  }
  if (n < 16) return { ncc: 1, texture: 0, light: 0 };
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const da = (a.scene[i] as number) - ma;
    const db = (b.scene[i] as number) - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  const texture = Math.sqrt(Math.min(va, vb) / n);
  return { ncc: va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 1, texture, light: Math.abs(ma - mb) };
}

/** Scene cells outside both frames' heads (true = background). */
function headMask(a: TracedFrame, b: TracedFrame): boolean[] {
  const mask: boolean[] = new Array(SCENE_WIDTH * SCENE_HEIGHT).fill(true);
  for (const f of [a, b]) {
    const box = landmarkBox(f.points);
    const m = box.size * HEAD_MARGIN;
    const sx = SCENE_WIDTH / f.width;
    const sy = SCENE_HEIGHT / f.height;
    const x0 = Math.max(0, Math.floor((box.left - m) * sx));
    const x1 = Math.min(SCENE_WIDTH - 1, Math.ceil((box.right + m) * sx));
    const y0 = Math.max(0, Math.floor((box.top - m * 1.2) * sy));
    // Below the chin: neck and shoulders move with the head; mask down to the frame's bottom.
    const y1 = SCENE_HEIGHT - 1;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * SCENE_WIDTH + x] = false;
  }
  return mask;
}

/** Landmarks that stay on the face's rigid part (brows, eye corners, nose, jaw) for the planarity test. */
const RIGID = [0, 2, 4, 8, 12, 14, 16, 17, 19, 21, 22, 24, 26, 27, 30, 31, 33, 35, 36, 39, 42, 45] as const;

/**
 * How far the landmarks of `b` are from a plane-to-plane projection (homography) of those of `a`, in interocular
 * distances (root mean square). A photo or print tilted in front of the camera moves every point as one plane, so it
 * stays near zero; a head that turns moves the nose tip against the cheeks and the jaw line, which no homography
 * explains.
 */
export function planarResidual(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const src = RIGID.map((i) => [px(a, i), py(a, i)] as const);
  const dst = RIGID.map((i) => [px(b, i), py(b, i)] as const);
  const h = fitHomography(src, dst);
  if (!h) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let k = 0; k < src.length; k++) {
    const [x, y] = src[k]!;
    const w = h[6]! * x + h[7]! * y + 1;
    const u = (h[0]! * x + h[1]! * y + h[2]!) / w;
    const v = (h[3]! * x + h[4]! * y + h[5]!) / w;
    sum += (u - dst[k]![0]) ** 2 + (v - dst[k]![1]) ** 2;
  }
  return Math.sqrt(sum / src.length) / interocular(b);
}

/** Least-squares homography (h33 = 1) from point pairs, on coordinates normalised for conditioning. */
function fitHomography(src: ReadonlyArray<readonly [number, number]>, dst: ReadonlyArray<readonly [number, number]>) {
  const norm = (pts: ReadonlyArray<readonly [number, number]>) => {
    const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    const d = pts.reduce((s, p) => s + Math.hypot(p[0] - cx, p[1] - cy), 0) / pts.length || 1;
    const k = Math.SQRT2 / d;
    return { pts: pts.map((p) => [(p[0] - cx) * k, (p[1] - cy) * k] as const), cx, cy, k };
  };
  const s = norm(src);
  const t = norm(dst);
  // Normal equations of the 8-unknown linear system.
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  const add = (row: number[], rhs: number) => {
    for (let i = 0; i < 8; i++) {
      atb[i]! += row[i]! * rhs;
      for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
    }
  };
  for (let k = 0; k < s.pts.length; k++) {
    const [x, y] = s.pts[k]!;
    const [u, v] = t.pts[k]!;
    add([x, y, 1, 0, 0, 0, -u * x, -u * y], u);
    add([0, 0, 0, x, y, 1, -v * x, -v * y], v);
  }
  const hn = solve(ata, atb);
  if (!hn) return null;
  // Undo the normalisations: H = T_dst^-1 * Hn * T_src.
  const Hn = [hn[0]!, hn[1]!, hn[2]!, hn[3]!, hn[4]!, hn[5]!, hn[6]!, hn[7]!, 1];
  const Ts = [s.k, 0, -s.k * s.cx, 0, s.k, -s.k * s.cy, 0, 0, 1];
  const Tdi = [1 / t.k, 0, t.cx, 0, 1 / t.k, t.cy, 0, 0, 1];
  const H = mul3(Tdi, mul3(Hn, Ts));
  const h33 = H[8]!;
  if (Math.abs(h33) < 1e-12) return null;
  return H.map((x) => x / h33);
}

function mul3(a: number[], b: number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c]! += a[r * 3 + k]! * b[k * 3 + c]!;
  return out;
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
