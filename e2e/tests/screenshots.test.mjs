// Full-page phone screenshots of the main pages, taken with kneeroot's real Content-Security-Policy in
// force. Always taken and checked (every picture loads, nothing scrolls sideways, no console errors such
// as a CSP violation); written to docs/screenshots/ only with UPDATE_SCREENSHOTS=1, otherwise to a
// temporary folder that is removed, so a test run leaves the work tree clean.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PHONE, answer, go, launchBrowser, openPhone, pathOf } from '../lib/browser.mjs';
import { POSE_ASSETS } from '../lib/camera.mjs';
import { startServer } from '../lib/server.mjs';
import { JOURNEY, walkWizard } from '../lib/wizard.mjs';

const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
/** scripts/e2e installs the pose model (scripts/fetch-pose): then the squat step offers to film it, as on
 * a server with the model, and its screenshot shows that. */
const POSE_READY = existsSync(join(POSE_ASSETS, 'pose.js'));

let server;
let browser;
let outDir;
const taken = [];

before(async () => {
  outDir = UPDATE ? DOCS : mkdtempSync(join(tmpdir(), 'kneeroot-screenshots-'));
  mkdirSync(outDir, { recursive: true });
  server = await startServer({ args: ['--pose-assets', POSE_ASSETS] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (UPDATE) console.log(`screenshots written to ${outDir}:\n  ${taken.join('\n  ')}`);
  else if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Width and height of a PNG file, from its header. */
function pngSize(path) {
  const b = readFileSync(path);
  assert.equal(b.subarray(1, 4).toString('latin1'), 'PNG', `${path} is a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** A phone with the real CSP, failing on any console error or uncaught page error. */
async function phoneWithConsole() {
  const phone = await openPhone(browser, server); // no axe: CSP in force
  const problems = [];
  phone.page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${phone.page.url()})`);
  });
  phone.page.on('pageerror', (e) => problems.push(`page error: ${e.message} (${phone.page.url()})`));
  phone.problems = problems;
  return phone;
}

/** Check the page as shown, then save a full-page screenshot as NAME.png. */
async function shoot(page, name) {
  // Every picture has loaded and has a size (a broken illustration or a CSP-blocked one has none).
  const broken = await page.evaluate(() =>
    [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
  );
  assert.deepEqual(broken, [], `pictures that did not load on ${name}`);
  // Against the phone's width, not window.innerWidth: a mobile layout viewport widens to fit content that
  // overflows, so innerWidth grows with the overflow and hides it.
  const overflow = await page.evaluate((w) => document.documentElement.scrollWidth - w, PHONE.viewport.width);
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px on a phone`);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  const size = pngSize(file);
  assert.equal(size.width, PHONE.viewport.width * PHONE.deviceScaleFactor, `${name}.png is phone-wide`);
  assert.ok(size.height >= PHONE.viewport.height * PHONE.deviceScaleFactor, `${name}.png is a full page`);
  taken.push(`${name}.png (${size.width}×${size.height})`);
}

test('screenshots of the main pages on a phone', { timeout: 180_000 }, async () => {
  const phone = await phoneWithConsole();
  const { page } = phone;

  await page.goto(server.url('/'));
  await shoot(page, '01-home');
  await page.goto(server.url('/assess'));
  await go(page, 'link', 'Start');
  await walkWizard(page, {
    onPage: async (step, i) => {
      // The squat page once its details are open (both squat pictures), and the ankle and hip pages.
      if (step.group === 'squat' && JOURNEY[i - 1].group === 'squat') {
        const offer = await page.getByRole('link', { name: 'Film it instead', exact: true }).count();
        assert.equal(offer, POSE_READY ? 1 : 0, `the squat step offers the camera only with the model (${POSE_ASSETS})`);
        await shoot(page, '02-assess-squat');
      }
      if (step.group === 'ankle') await shoot(page, '03-assess-ankle');
      if (step.group === 'hip') await shoot(page, '04-assess-hip');
    },
  });
  assert.equal(pathOf(page), '/results');
  await shoot(page, '05-results');
  await go(page, 'link', 'See my plan');
  await shoot(page, '06-plan');

  await page.goto(server.url('/signup'));
  await page.getByLabel('Email').fill('screenshots@example.test');
  await page.getByLabel(/^Password/).fill('a long enough password');
  await go(page, 'button', 'Create my account');
  await go(page, 'link', 'Account');
  await shoot(page, '08-account');
  await page.goto(server.url('/faq'));
  await shoot(page, '09-faq');

  assert.deepEqual(phone.problems, [], 'console errors or warnings');
  await phone.close();

  // The stop page, in a phone of its own.
  const other = await phoneWithConsole();
  const p = other.page;
  await p.goto(server.url('/assess'));
  await go(p, 'link', 'Start');
  await go(p, 'button', 'Next');
  await answer(p, { 'flag.saddle_numbness_or_bladder_bowel_change': 'yes' });
  await go(p, 'button', 'Next');
  assert.equal(pathOf(p), '/assess/stop');
  await shoot(p, '07-stop');
  assert.deepEqual(other.problems, [], 'console errors or warnings');
  await other.close();
});
