// A synthetic landmark series of three squats, as camera.js would post it after running the pose model:
// a JavaScript port of the generator in crates/kneeroot-web/tests/web/camera.rs (`depth`, `skeleton`,
// `series`), so that the browser tests can put a squat with known faults through the capture page's own
// form without a camera. Kept point for point the same as the Rust one, whose test asserts what the
// analysis proposes for it: from the front the left knee drifts towards the midline
// (`squat.knee_caves_in` = left); from the side the thighs reach level, the trunk leans well forward and
// the heels lift (`squat.leans_forward`, `squat.heels_lift`).

const WIDTH = 720;
const HEIGHT = 1280;
const FPS = 30;
/** Shin and thigh length, trunk (hip to shoulder), in pixels. */
const SHIN = 230;
const THIGH = 230;
const TRUNK = 256;

/** How deep into a squat the person is at `t` s (0 standing, 1 at the bottom): three slow reps of 2.2 s. */
function depth(t) {
  for (const start of [0.8, 3.6, 6.4]) {
    const u = (t - start) / 2.2;
    if (u >= 0 && u <= 1) return Math.sin(Math.PI * u) ** 2;
  }
  return 0;
}

const rad = (deg) => (deg * Math.PI) / 180;

/** The 33 points of one frame at depth `d`, from `view`: `[x, y, visibility]` in pixels. */
function skeleton(view, d) {
  const p = Array.from({ length: 33 }, () => [0, 0, 0.95]);
  // Per side: hip, knee, ankle, heel, toe, shoulder indices and the side's sign.
  const sides = [
    [23, 25, 27, 29, 31, 11, 1],
    [24, 26, 28, 30, 32, 12, -1],
  ];
  const shoulders = [];
  for (const [hip, knee, ankle, heel, toe, shoulder, s] of sides) {
    let a, k, h, sh, hl, tp;
    if (view === 'front') {
      // Facing the camera: the person's left is on the image's right. Bending foreshortens the shin and
      // thigh; only the left knee drifts towards the midline.
      a = [360 + s * 55, 1100];
      const cave = s > 0 ? 40 * d : 0;
      k = [a[0] - s * cave, a[1] - SHIN * Math.cos(rad(35 * d))];
      const thighBelowHorizontal = -90 + 45 * d;
      h = [360 + s * 50, k[1] - THIGH * Math.sin(rad(-thighBelowHorizontal))];
      sh = [360 + s * 80, h[1] - TRUNK * Math.cos(rad(30 * d))];
      hl = [a[0] - s * 4, a[1] + 25];
      tp = [a[0] + s * 12, a[1] + 45];
    } else {
      // Side on, facing right; the far leg a few pixels behind the near one.
      const off = s > 0 ? 0 : -4;
      a = [330 + off, 1100];
      const shin = rad(35 * d);
      k = [a[0] + SHIN * Math.sin(shin), a[1] - SHIN * Math.cos(shin)];
      const thigh = rad(-90 + 90 * d);
      h = [k[0] - THIGH * Math.cos(thigh), k[1] + THIGH * Math.sin(thigh)];
      const trunk = rad(60 * d);
      sh = [h[0] + TRUNK * Math.sin(trunk), h[1] - TRUNK * Math.cos(trunk)];
      hl = [a[0] - 30, a[1] + 25 - 24 * d];
      tp = [a[0] + 75, a[1] + 30];
    }
    const far = view === 'side' && s < 0 ? 0.7 : 0.95;
    for (const [i, xy] of [[hip, h], [knee, k], [ankle, a], [heel, hl], [toe, tp], [shoulder, sh]]) {
      p[i] = [xy[0], xy[1], far];
    }
    shoulders.push(sh);
    // Arms held forward for balance: elbow, wrist, and the hand's points at the wrist.
    const forward = view === 'front' ? [0, 30] : [90, 10];
    const [elbow, wrist] = s > 0 ? [13, 15] : [14, 16];
    p[elbow] = [sh[0] + forward[0] / 2, sh[1] + forward[1], far];
    p[wrist] = [sh[0] + forward[0], sh[1] + forward[1] / 2, far];
    for (const hand of s > 0 ? [17, 19, 21] : [18, 20, 22]) {
      p[hand] = [sh[0] + forward[0] + 5, sh[1] + forward[1] / 2, far];
    }
  }
  // The head above the shoulders' midpoint (forward of it when side on).
  const mid = [(shoulders[0][0] + shoulders[1][0]) / 2, (shoulders[0][1] + shoulders[1][1]) / 2];
  const nose = view === 'front' ? [mid[0], mid[1] - 110] : [mid[0] + 30, mid[1] - 105];
  p[0] = [nose[0], nose[1], 0.95];
  for (const [i, dx, dy] of [[1, 8, -8], [2, 12, -8], [3, 16, -8], [4, -8, -8], [5, -12, -8]]) {
    p[i] = [nose[0] + dx, nose[1] + dy, 0.95];
  }
  p[6] = [nose[0] - 16, nose[1] - 8, 0.95];
  p[7] = [nose[0] + 30, nose[1], 0.9];
  p[8] = [nose[0] - 30, nose[1], 0.9];
  p[9] = [nose[0] + 8, nose[1] + 15, 0.95];
  p[10] = [nose[0] - 8, nose[1] + 15, 0.95];
  return p;
}

/**
 * The landmark series the browser would send for `view` ('front' or 'side'): 10 s at 30 frames a
 * second, three squats, every frame with a person, `[x, y, z, visibility]` in MediaPipe's normalised
 * image coordinates rounded to 5 decimals.
 */
export function squatSeries(view) {
  const round = (v) => Math.round(v * 100_000) / 100_000;
  const frames = [];
  for (let i = 0; i < 300; i++) {
    const t = i / FPS;
    const landmarks = skeleton(view, depth(t)).map(([x, y, visibility]) => [round(x / WIDTH), round(y / HEIGHT), 0, visibility]);
    frames.push({ t: round(t), landmarks });
  }
  return { view, fps: FPS, width: WIDTH, height: HEIGHT, frames };
}
