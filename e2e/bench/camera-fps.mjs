// Frames per second of the camera squat screen's in-browser pipeline (MediaPipe Pose on the fake camera,
// the framing check and the skeleton drawing: what sets how many frames a recording gets), for the lite
// and the full model. Headless Chromium here renders WebGL in software, so these are a floor: a phone's
// GPU is many times faster.
//
//   node bench/camera-fps.mjs                     start target/release/kneeroot (as the e2e tests do)
//   node bench/camera-fps.mjs --origin URL        measure a server that is already running
//   CAMERA_FPS_SECONDS=30 node bench/camera-fps.mjs   a longer window (default 20 s per model)
//
// Needs what the e2e tests need (scripts/e2e installs it), plus scripts/fetch-pose. Prints one line per
// model and a Markdown table.

import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { PHONE } from '../lib/browser.mjs';
import { POSE_ASSETS, launchWithFakeCamera, messiPhoto, photoToY4m } from '../lib/camera.mjs';
import { startServer } from '../lib/server.mjs';

const WARMUP_FRAMES = 3;
const WINDOW_S = Number(process.env.CAMERA_FPS_SECONDS || 20);
const MODELS = (process.env.CAMERA_FPS_MODELS || 'lite,full').split(',');

const args = process.argv.slice(2);
const originArg = args[0] === '--origin' ? args[1] : null;

const server = originArg ? null : await startServer({ args: ['--pose-assets', POSE_ASSETS] });
const origin = originArg || server.origin;
const y4m = await photoToY4m(messiPhoto());
const browser = await launchWithFakeCamera(y4m);
const chromiumVersion = browser.version();
const read = (page) => page.evaluate(() => ({ ...window.kneerootCamera, now: performance.now() }));

const rows = [];
const loadBefore = loadavg()[0].toFixed(2);
let renderer = '?';
try {
  for (const model of MODELS) {
    const context = await browser.newContext({ ...PHONE });
    const page = await context.newPage();
    await page.goto(`${origin}/assess/camera/front?model=${model}`);
    renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
      return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'no WebGL2';
    });
    const clicked = await page.evaluate(() => performance.now());
    await page.click('#camera-start');
    let s = await read(page);
    let firstAt = null;
    while (s.framesSeen < WARMUP_FRAMES) {
      if (s.state === 'error') throw new Error(`${model}: ${s.error}`);
      await sleep(100);
      s = await read(page);
      if (firstAt === null && s.framesSeen > 0) firstAt = s.now;
    }
    const a = s;
    await sleep(WINDOW_S * 1000);
    const b = await read(page);
    const fps = (b.framesSeen - a.framesSeen) / ((b.now - a.now) / 1000);
    const row = {
      model,
      fps: fps.toFixed(2),
      msPerFrame: b.msPerFrame.toFixed(0),
      firstResultS: ((firstAt - clicked) / 1000).toFixed(1),
      frames: b.framesSeen - a.framesSeen,
      withPose: `${b.framesWithPose}/${b.framesSeen}`,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    await context.close();
  }
} finally {
  await browser.close();
  await server?.stop();
}

console.log(`\nChromium ${chromiumVersion}, WebGL: ${renderer}; load average (1 min) ${loadBefore} before, ${loadavg()[0].toFixed(2)} after`);
console.log(`\n| model | frames/s | ms per pose.send (moving avg.) | first result after Start (s) | frames in ${WINDOW_S} s | frames with a pose |`);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.model} | ${r.fps} | ${r.msPerFrame} | ${r.firstResultS} | ${r.frames} | ${r.withPose} |`);
