// A fake camera for the camera squat screen: a real person (messi5.jpg from Debian's opencv-doc, fetched
// at test time into a cache outside the repository, never committed: its copyright is unclear) turned
// into a .y4m file that Chromium plays as its camera (--use-file-for-fake-video-capture).
//
// No new dependency: apt-get download + dpkg-deb fetch the photo, this module's own Chromium decodes the
// JPEG into pixels through a canvas, and Node writes the YUV 4:2:0 frames.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createRequire } from 'node:module';

import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.mjs';

const require = createRequire(import.meta.url);

/** The pose model's files, as scripts/fetch-pose installs them; `kneeroot serve --pose-assets` takes this
 * (the server's default is relative to its working folder, and the tests run it from e2e/). */
export const POSE_ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'pose', 'node_modules', '@mediapipe', 'pose');

/** Where the .deb, the photo and the .y4m are kept between runs. */
export const CACHE_DIR = process.env.KNEEROOT_E2E_CACHE || join(homedir(), '.cache', 'kneeroot-e2e');

const MESSI_IN_DEB = './usr/share/doc/opencv-doc/examples/data/messi5.jpg';

/**
 * The path of messi5.jpg (548×342, a footballer, whole body, feet visible), fetched once with
 * `apt-get download opencv-doc` (about 96 MB) and reused afterwards.
 */
export function messiPhoto() {
  const photo = join(CACHE_DIR, MESSI_IN_DEB);
  if (existsSync(photo)) return photo;
  mkdirSync(CACHE_DIR, { recursive: true });
  let deb = readdirSync(CACHE_DIR).find((f) => /^opencv-doc_.*\.deb$/.test(f));
  if (!deb) {
    const download = () =>
      execFileSync('apt-get', ['download', 'opencv-doc'], { cwd: CACHE_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      download();
    } catch (first) {
      // A fresh machine may have no package lists yet; as root (CI), fetch them once and try again.
      try {
        if (process.getuid?.() !== 0) throw first;
        execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'pipe'] });
        download();
      } catch (e) {
        throw new Error(
          `apt-get download opencv-doc failed in ${CACHE_DIR} (run 'apt-get update' first?):\n${e.stderr ?? e.message}`,
        );
      }
    }
    deb = readdirSync(CACHE_DIR).find((f) => /^opencv-doc_.*\.deb$/.test(f));
    if (!deb) throw new Error(`apt-get download opencv-doc left no opencv-doc_*.deb in ${CACHE_DIR}`);
  }
  // Only the one file: the whole package unpacks to several hundred MB.
  execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" "$3"`, 'sh', join(CACHE_DIR, deb), CACHE_DIR, MESSI_IN_DEB]);
  if (!existsSync(photo)) throw new Error(`${MESSI_IN_DEB} is not in ${deb}: has the package changed?`);
  return photo;
}

/**
 * A .y4m (I420, `width`×`height`, `frames` identical frames at 30 fps) of `photo`, centred at its own size
 * on a grey background (scaled down only if it does not fit), so that the whole body is in the picture
 * with a margin. Cached by name; returns its path.
 */
export async function photoToY4m(photo, { width = 640, height = 480, frames = 30 } = {}) {
  const out = join(CACHE_DIR, `messi5-${width}x${height}-${frames}.y4m`);
  if (existsSync(out)) return out;
  const rgba = await decodeInChromium(photo, width, height);
  const frame = rgbaToI420(rgba, width, height);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const parts = [header];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n'), frame);
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, Buffer.concat(parts));
  renameSync(tmp, out);
  return out;
}

/** Draw the photo letterboxed on a `width`×`height` canvas in a blank page and read back its pixels. */
async function decodeInChromium(photo, width, height) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const dataUrl = `data:image/jpeg;base64,${readFileSync(photo).toString('base64')}`;
    const pixels = await page.evaluate(
      async ({ dataUrl, width, height }) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const scale = Math.min(1, width / img.naturalWidth, height / img.naturalHeight);
        const w = Math.round(img.naturalWidth * scale);
        const h = Math.round(img.naturalHeight * scale);
        const c = document.createElement('canvas');
        c.width = width;
        c.height = height;
        const g = c.getContext('2d');
        g.fillStyle = '#808080';
        g.fillRect(0, 0, width, height);
        g.drawImage(img, Math.round((width - w) / 2), Math.round((height - h) / 2), w, h);
        // Base64 keeps the transfer small and exact.
        const bytes = g.getImageData(0, 0, width, height).data;
        let s = '';
        for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(s);
      },
      { dataUrl, width, height },
    );
    return Buffer.from(pixels, 'base64');
  } finally {
    await browser.close();
  }
}

/** RGBA → planar YUV 4:2:0 (BT.601, limited range, what Chromium assumes for a camera). */
function rgbaToI420(rgba, width, height) {
  const y = Buffer.alloc(width * height);
  const cw = width >> 1;
  const ch = height >> 1;
  const u = Buffer.alloc(cw * ch);
  const v = Buffer.alloc(cw * ch);
  const clamp = (x) => Math.max(0, Math.min(255, Math.round(x)));
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = (j * width + i) * 4;
      y[j * width + i] = clamp(16 + 0.257 * rgba[k] + 0.504 * rgba[k + 1] + 0.098 * rgba[k + 2]);
    }
  }
  for (let j = 0; j < ch; j++) {
    for (let i = 0; i < cw; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const k = ((2 * j + dy) * width + 2 * i + dx) * 4;
        r += rgba[k];
        g += rgba[k + 1];
        b += rgba[k + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      u[j * cw + i] = clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      v[j * cw + i] = clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return Buffer.concat([y, u, v]);
}

/**
 * A short .webm video (VP8, `width`×`height`) of `photo`, recorded in Chromium from a canvas with
 * MediaRecorder, for the "a video already on this device" path. Cached by name; returns its path.
 */
export async function photoToWebm(photo, { width = 640, height = 480, seconds = 1 } = {}) {
  const out = join(CACHE_DIR, `messi5-${width}x${height}-${seconds}s.webm`);
  if (existsSync(out)) return out;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const dataUrl = `data:image/jpeg;base64,${readFileSync(photo).toString('base64')}`;
    const b64 = await page.evaluate(
      async ({ dataUrl, width, height, seconds }) => {
        const img = new Image();
        img.src = dataUrl;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = width;
        c.height = height;
        const g = c.getContext('2d');
        const scale = Math.min(1, width / img.naturalWidth, height / img.naturalHeight);
        const w = Math.round(img.naturalWidth * scale);
        const h = Math.round(img.naturalHeight * scale);
        const paint = (n) => {
          g.fillStyle = '#808080';
          g.fillRect(0, 0, width, height);
          // A one-pixel sway, so that the encoder has changing frames to write.
          g.drawImage(img, Math.round((width - w) / 2) + (n % 2), Math.round((height - h) / 2), w, h);
        };
        paint(0);
        const rec = new MediaRecorder(c.captureStream(30), { mimeType: 'video/webm;codecs=vp8' });
        const chunks = [];
        rec.ondataavailable = (e) => chunks.push(e.data);
        const stopped = new Promise((r) => (rec.onstop = r));
        rec.start();
        let n = 0;
        const timer = setInterval(() => paint(++n), 1000 / 30);
        await new Promise((r) => setTimeout(r, seconds * 1000));
        clearInterval(timer);
        rec.stop();
        await stopped;
        const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
        let s = '';
        for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(s);
      },
      { dataUrl, width, height, seconds },
    );
    const tmp = `${out}.tmp`;
    writeFileSync(tmp, Buffer.from(b64, 'base64'));
    renameSync(tmp, out);
    return out;
  } finally {
    await browser.close();
  }
}

/** Chromium flags that make `y4m` the camera and grant camera permission without a prompt. */
export function fakeCameraArgs(y4m) {
  return ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`];
}

/** Launch Chromium (the harness's flags) with `y4m` as its camera. */
export async function launchWithFakeCamera(y4m) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...fakeCameraArgs(y4m)],
    timeout: 60_000,
  });
}

let axeSource;

/**
 * Make axe-core available on a page that keeps its real Content-Security-Policy, so that checkA11y can
 * run on the camera page while the pose model runs under that policy (openPhone's `axe: true` bypasses
 * the CSP, which would hide a policy too strict for the model). Playwright's evaluate runs through the
 * DevTools protocol, which the page's CSP does not govern, unlike an injected script tag.
 */
export async function injectAxe(page) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
}
