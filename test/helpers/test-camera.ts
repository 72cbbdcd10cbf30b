import type { Page } from 'playwright-core';

// A test camera that behaves like a person in front of the hosted page: `navigator.mediaDevices.getUserMedia` is
// replaced (before the page's own script runs) by a stream from a <canvas>.captureStream() onto which a page-side
// timer draws a real recording's frames at the recording's own rate. While the page shows no instruction (or "look
// at the camera") the canvas plays a stretch of the recording where the person faces the camera; when the page
// shows a step (`data-step` on its #cue element), it plays, after a person's reaction time, the stretch where the
// person does that step, holds it while the instruction stays, and comes back to the camera. A recorded clip cannot
// follow a random challenge by itself; a person can, and this is that person.

/** Frame indices of a recording, both ends included; `from > to` plays backwards. */
export type FrameRange = readonly [from: number, to: number];

export interface StepPerformance {
  /** Played once when the step appears (after the reaction time). */
  enter: readonly FrameRange[];
  /**
   * Played back and forth after `enter`: the head held turned while the instruction is shown, small movements
   * included. With `holdMs` it lasts that long and `exit` follows at once (a slow blink), else until the step ends.
   */
  hold: FrameRange;
  holdMs?: number;
  /** Played once to come back to the camera, then the idle stretch resumes. */
  exit: readonly FrameRange[];
  /** Walk forward through the rest of the idle stretch into `enter` (they are consecutive in the recording). */
  fromIdle?: boolean;
}

export interface Actor {
  /** Frames per second of the recording. */
  fps: number;
  /** Facing the camera, eyes open: played back and forth while there is no step. */
  idle: FrameRange;
  /** Milliseconds between an instruction appearing (or going) and the person starting to move. */
  reactionMs: number;
  steps: Readonly<Record<'turn_left' | 'turn_right' | 'blink', StepPerformance>>;
}

/**
 * The live recording `live_apfol_640x480_30fps.mjpeg` (241 frames at 30 fps; from about 2.8 s on, every frame is
 * stored twice). Stretches measured with the real engine (analyse with pose, liveness, no quality gates): frames
 * 7–19 (0.23–0.63 s) frontal (yaw −9…−3°, eyes open ≥ 0.97); 31–43 (1.03–1.43 s) turned to the person's left (yaw
 * −26…−41°), back to yaw 0 by frame 50; 57–63 (1.9–2.1 s) turned to their right (yaw +19…+21°), back through a
 * blink, eyes closed at frames 70–73 (2.33–2.43 s, openness ≤ 0.15, yaw +2…+9°), frontal again at 74–75.
 */
export const liveApfol: Actor = {
  fps: 30,
  idle: [7, 19],
  reactionMs: 300,
  steps: {
    turn_left: { fromIdle: true, enter: [[20, 31]], hold: [31, 43], exit: [[44, 50]] },
    turn_right: { enter: [[50, 57]], hold: [57, 63], exit: [[64, 75]] },
    // Entered backwards from the frontal frames after the blink (the frames before it are still turned right).
    blink: { enter: [[75, 74]], hold: [73, 70], holdMs: 450, exit: [[74, 75]] },
  },
};

/**
 * The phone replaying that person (`replay_attack_apfol_640x480_30fps.mjpeg`, 240 frames at 30 fps), measured the
 * same way: frames 39–58 frontal; 117–158 turned to the person's left (yaw −25…−34°), back by 172; 65–92 turned to
 * their right (yaw +26…+36°), back by 104; eyes closed at 203–210 (yaw +3…+15°), open and frontal from 211.
 * Passive liveness scores it near 0 in every frame.
 */
export const replayApfol: Actor = {
  fps: 30,
  idle: [39, 58],
  reactionMs: 300,
  steps: {
    turn_left: { enter: [[110, 117]], hold: [117, 158], exit: [[159, 172]] },
    turn_right: { fromIdle: true, enter: [[59, 65]], hold: [65, 92], exit: [[93, 104]] },
    blink: { enter: [[202, 203]], hold: [203, 210], holdMs: 450, exit: [[211, 216]] },
  },
};

export interface CameraEvent {
  /** The step the camera saw appear on the page (null: none, or "look at the camera"). */
  step: string | null;
  /** Date.now() in the test process when the event arrived. */
  at: number;
}

const clipPath = '/__facegate-test-camera/clip.mjpeg';

/**
 * Installs the test camera in `page` (before its first navigation): the recording is served to the page by a
 * route on the page's own origin (the page's CSP allows only `connect-src 'self'`), and every step change the
 * camera reacts to is pushed onto `events`.
 */
export async function installTestCamera(
  page: Page,
  mjpeg: Buffer,
  actor: Actor,
  events: CameraEvent[] = [],
): Promise<CameraEvent[]> {
  await page.route(`**${clipPath}`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: mjpeg }),
  );
  await page.exposeFunction('__facegateTestCameraEvent', (step: string | null) => {
    events.push({ step, at: Date.now() });
  });
  await page.addInitScript(testCamera, { url: clipPath, actor });
  return events;
}

/** Runs in the page: self-contained (serialised by playwright), no imports. */
function testCamera(o: { url: string; actor: Actor }): void {
  if (!location.pathname.startsWith('/sign-in/')) return;
  const { actor } = o;
  const report = (window as unknown as { __facegateTestCameraEvent?: (s: string | null) => void })
    .__facegateTestCameraEvent;
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 480;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;

  const split = (buf: ArrayBuffer): Blob[] => {
    const b = new Uint8Array(buf);
    const out: Blob[] = [];
    let start = -1;
    for (let i = 0; i < b.length - 1; i++) {
      if (b[i] !== 0xff) continue;
      if (b[i + 1] === 0xd8 && start < 0) start = i;
      else if (b[i + 1] === 0xd9 && start >= 0) {
        out.push(new Blob([b.subarray(start, i + 2)], { type: 'image/jpeg' }));
        start = -1;
      }
    }
    return out;
  };
  const loaded = fetch(o.url)
    .then((r) => r.arrayBuffer())
    .then(split);

  const range = ([from, to]: FrameRange): number[] => {
    const out: number[] = [];
    const d = to >= from ? 1 : -1;
    for (let i = from; i !== to + d; i += d) out.push(i);
    return out;
  };
  const ranges = (rs: readonly FrameRange[]) => rs.flatMap(range);

  type StepName = keyof Actor['steps'];
  let pos = actor.idle[0];
  let dir = 1;
  /** Frames still to play once, before the back-and-forth of `hold`. */
  let queue: number[] = [];
  let hold: FrameRange = actor.idle;
  /** The step being held (its exit not yet queued). */
  let holding: StepName | null = null;
  let seen: StepName | null = null;
  let reaction: ReturnType<typeof setTimeout> | undefined;

  /** `n` frames of back and forth within a range, from its first end. */
  const pingPong = (r: FrameRange, n: number): number[] => {
    const lap = range(r);
    const back = lap.slice(1, -1).reverse();
    const cycle = [...lap, ...back];
    return Array.from({ length: n }, (_, i) => cycle[i % cycle.length] as number);
  };

  const perform = (name: StepName) => {
    const p = actor.steps[name];
    const lo = Math.min(...actor.idle);
    const hi = Math.max(...actor.idle);
    const walk = p.fromIdle && pos >= lo && pos < hi ? range([pos + 1, hi]) : [];
    if (p.holdMs !== undefined) {
      const n = Math.max(1, Math.round((p.holdMs * actor.fps) / 1000));
      queue = [...walk, ...ranges(p.enter), ...pingPong(p.hold, n), ...ranges(p.exit)];
      hold = actor.idle;
      holding = null;
    } else {
      queue = [...walk, ...ranges(p.enter)];
      hold = p.hold;
      dir = p.hold[1] >= p.hold[0] ? -1 : 1;
      holding = name;
    }
  };
  const comeBack = () => {
    if (holding) queue = [...queue, ...ranges(actor.steps[holding].exit)];
    holding = null;
    hold = actor.idle;
  };

  const onStep = (next: StepName | null) => {
    seen = next;
    report?.(next);
    clearTimeout(reaction);
    reaction = setTimeout(() => {
      comeBack();
      if (next) perform(next);
    }, actor.reactionMs);
  };

  /** The next frame: the queue first, then back and forth within `hold` (entered at its nearest end). */
  const advance = () => {
    const next = queue.shift();
    if (next !== undefined) {
      pos = next;
      return;
    }
    const lo = Math.min(...hold);
    const hi = Math.max(...hold);
    if (pos < lo || pos > hi) {
      pos = pos < lo ? lo : hi;
      dir = pos === lo ? 1 : -1;
      return;
    }
    if (lo === hi) return;
    if (pos + dir > hi || pos + dir < lo) dir = -dir;
    pos += dir;
  };

  let frames: Blob[] = [];
  let started = 0;
  let played = 0;
  let drawing = false;
  let drawn = -1;
  const draw = async () => {
    if (drawing || pos === drawn) return;
    const blob = frames[pos];
    if (!blob) return;
    drawing = true;
    const at = pos;
    try {
      const bitmap = await createImageBitmap(blob);
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      drawn = at;
    } finally {
      drawing = false;
    }
  };
  const tick = () => {
    const cue = document.getElementById('cue');
    const step = cue?.dataset['step'];
    const action = step && step in actor.steps ? (step as StepName) : null;
    if (action !== seen) onStep(action);
    // The recording's own rate, whatever the timer's jitter: as many frames as the time says.
    const due = Math.floor(((performance.now() - started) * actor.fps) / 1000);
    while (played < due) {
      advance();
      played++;
    }
    void draw();
  };

  const devices = navigator.mediaDevices;
  devices.getUserMedia = async () => {
    frames = await loaded;
    if (!started) {
      started = performance.now();
      await draw();
      setInterval(tick, Math.floor(1000 / actor.fps / 2));
    }
    return canvas.captureStream(actor.fps);
  };
}
