// Check-ins on a phone: a person with a saved plan checks in on three days (the day before yesterday,
// yesterday and today, reached with the check-in page's own "Day before" links), and the pain-monitoring
// rules progress the first exercise of Step 1 after two good sessions each followed by a settled morning.
// The plan page then shows the change, and the progress page draws the morning pain and lists the change.
// A second person ticks a warning sign in a check-in and is sent to be seen today, with no plan change.
// axe runs on every check-in, plan and progress page; no request may leave kneeroot's origin.
//
// The server runs on real time, so days are whole UTC days, as kneeroot counts them. With
// UPDATE_SCREENSHOTS=1, docs/screenshots/10-checkin.png and 11-progress.png are rewritten (taken with the
// real Content-Security-Policy in force, as in screenshots.test.mjs).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PHONE, checkA11y, go, launchBrowser, openPhone, pathOf } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { walkWizard } from '../lib/wizard.mjs';

const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const PASSWORD = 'a long enough password';

let server;
let browser;
let outDir;

before(async () => {
  outDir = UPDATE ? DOCS : mkdtempSync(join(tmpdir(), 'kneeroot-checkin-screenshots-'));
  mkdirSync(outDir, { recursive: true });
  // The demo patient's assessment was saved ten days ago, so the last three days fall inside their plan.
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (!UPDATE && outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A UTC day as YYYY-MM-DD, `offset` days from now. */
function utcDay(offset = 0, now = Date.now()) {
  return new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
}

/** "24 November 2025", as kneeroot writes a date. */
function dateLabel(ymd) {
  const d = new Date(`${ymd}T00:00:00Z`);
  return `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' })} ${d.getUTCFullYear()}`;
}

/**
 * A new person: the whole assessment (the journey's answers), then an account from the results page, so
 * that the assessment and its plan are saved. Ends on the saved assessment.
 */
async function signUpWithPlan(page, email) {
  await page.goto(server.url('/assess'));
  await go(page, 'link', 'Start');
  await walkWizard(page);
  assert.equal(pathOf(page), '/results');
  await go(page, 'link', 'Create an account');
  assert.equal(pathOf(page), '/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await go(page, 'button', 'Create my account');
  assert.match(pathOf(page), /^\/assessments\/[^/]+$/, `taken to the saved assessment, not ${page.url()}`);
}

/** Sign in as the demo patient (seeded by `serve --demo`, assessment ten days old). */
async function signInDemo(page) {
  await page.goto(server.url('/login'));
  await page.getByLabel('Email').fill('patient@demo.kneeroot.invalid');
  await page.getByLabel('Password').fill('demo-patient-pass');
  await go(page, 'button', 'Sign in');
  assert.equal(pathOf(page), '/account');
}

/** The exercise cards of Step 1 on the plan page now shown. */
async function stepOneCards(page) {
  const step = page.locator('main section[aria-labelledby="step-1"]');
  await step.waitFor();
  const cards = [];
  for (const card of await step.locator('article.exercise').all()) {
    const note = card.locator('p.notice');
    cards.push({
      id: (await card.getAttribute('id')).replace(/^ex-/, ''),
      name: (await card.getByRole('heading', { level: 3 }).innerText()).trim(),
      dose: (await card.locator('p.dose').innerText()).trim(),
      latestChange: (await note.count()) ? (await note.innerText()).trim() : null,
    });
  }
  return cards;
}

/** "2 × 10, held 5 s, 3 days a week" → { sets, reps, hold, perWeek }. */
function parseDose(text) {
  const m = /^(\d+) × (\d+)(?:, held (\d+) s)?, (\d+) days? a week$/.exec(text);
  assert.ok(m, `a dose line kneeroot writes: ${JSON.stringify(text)}`);
  return { sets: +m[1], reps: +m[2], hold: m[3] === undefined ? null : +m[3], perWeek: +m[4] };
}

/** The check-in page's day (its hidden `day` field) and its heading. */
async function checkinDay(page) {
  assert.equal(pathOf(page), '/checkin');
  const day = await page.locator('form input[type=hidden][name=day]').inputValue();
  const heading = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
  return { day, heading };
}

/**
 * Fill in the check-in page now shown, finding everything by its label: `morning` ({ pain, usual }) and,
 * per exercise name, { done, pain, goodForm }. The inputs found are checked to be the ones the server
 * reads (`done.<id>`, `pain.<id>`, `quality.<id>`, `morning_pain`, `usual`).
 */
async function fillCheckin(page, { morning, exercises = [] }) {
  if (morning) {
    const now = page.getByLabel('Knee pain now (0 = none, 10 = worst)', { exact: true });
    assert.equal(await now.getAttribute('name'), 'morning_pain');
    await now.selectOption(String(morning.pain));
    const usual = page.getByLabel('Your usual morning pain', { exact: true });
    assert.equal(await usual.getAttribute('name'), 'usual');
    await usual.selectOption(String(morning.usual));
  }
  for (const e of exercises) {
    // Each exercise is a fieldset whose legend is the exercise's name.
    const group = page.getByRole('group', { name: e.name, exact: true });
    assert.equal(await group.count(), 1, `one check-in group for ${e.name} on ${page.url()}`);
    const done = group.getByRole('radio', { name: e.done ? 'Done' : 'Skipped', exact: true });
    assert.equal(await done.getAttribute('name'), `done.${e.id}`);
    assert.equal(await done.getAttribute('value'), e.done ? 'yes' : 'no');
    await done.check();
    if (e.pain !== undefined) {
      const pain = group.getByLabel('Worst pain during it (0–10)', { exact: true });
      assert.equal(await pain.getAttribute('name'), `pain.${e.id}`);
      await pain.selectOption(String(e.pain));
    }
    if (e.goodForm !== undefined) {
      const form = group.getByRole('radio', { name: e.goodForm ? 'Yes' : 'Not quite', exact: true });
      assert.equal(await form.getAttribute('name'), `quality.${e.id}`);
      await form.check();
    }
  }
}

/** Save the check-in now shown; a check-in that needs no care leads to the progress page. */
async function saveCheckin(page) {
  await go(page, 'button', 'Save check-in');
}

/** The plan changes listed on the progress page now shown: "Exercise · date · by who" and the note. */
async function progressChanges(page) {
  const section = page.getByRole('region', { name: 'Changes to your plan', exact: true });
  await section.waitFor();
  const cards = [];
  for (const card of await section.locator('.card').all()) {
    const [head, note] = (await card.locator('p').allInnerTexts()).map((s) => s.trim());
    cards.push({ head, note });
  }
  return { cards, text: (await section.innerText()).trim() };
}

/** Check the page as shown and save a full-page screenshot as NAME.png (into docs/ only when updating). */
async function shoot(page, name) {
  const broken = await page.evaluate(() =>
    [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
  );
  assert.deepEqual(broken, [], `pictures that did not load on ${name}`);
  // Against the phone's width, not window.innerWidth: a mobile layout viewport widens to fit content
  // that overflows, so innerWidth grows with the overflow and hides it.
  const overflow = await page.evaluate((w) => document.documentElement.scrollWidth - w, PHONE.viewport.width);
  assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px on a phone`);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  if (UPDATE) console.log(`screenshot written: ${file}`);
}

test('check-ins on three days produce the expected plan change and a chart', { timeout: 240_000 }, async (t) => {
  const phone = await openPhone(browser, server, { axe: true });
  const { page } = phone;
  await signInDemo(page);

  // The plan, and the first exercise of Step 1 as it is before any check-in.
  await page.goto(server.url('/plan'));
  await checkA11y(page, 'plan (before check-ins)');
  const before = await stepOneCards(page);
  assert.ok(before.length > 0, 'Step 1 has exercise cards');
  const first = before[0];
  assert.equal(first.latestChange, null, `no change yet on ${first.name}: ${first.latestChange}`);
  const doseBefore = parseDose(first.dose);
  const exercise = { id: first.id, name: first.name };

  // The days, as the server counts them (whole UTC days): today's check-in page says which day it is.
  const t0 = Date.now();
  await page.goto(server.url('/checkin'));
  const today = await checkinDay(page);
  assert.ok(
    [utcDay(0, t0), utcDay(0)].includes(today.day),
    `the check-in page's today (${today.day}) is today in UTC (${utcDay(0, t0)})`,
  );
  const D = today.day;
  const day = (offset) => new Date(Date.parse(`${D}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  assert.equal(today.heading, 'Check in: Today');

  await t.test('check in on the day before yesterday, yesterday and today', async () => {
    // D-2, reached with "Day before" twice: the session, good, pain 3 during it.
    await page.goto(server.url('/checkin'));
    await go(page, 'link', 'Day before');
    assert.deepEqual(await checkinDay(page), { day: day(-1), heading: `Check in: ${dateLabel(day(-1))}` });
    await go(page, 'link', 'Day before');
    assert.deepEqual(await checkinDay(page), { day: day(-2), heading: `Check in: ${dateLabel(day(-2))}` });
    await checkA11y(page, `checkin (${day(-2)}, D-2)`);
    await fillCheckin(page, { exercises: [{ ...exercise, done: true, pain: 3, goodForm: true }] });
    await saveCheckin(page);
    assert.equal(pathOf(page), '/progress', 'a saved check-in leads to the progress page');

    // D-1, reached with "Day after" from D-2: a settled morning (2, usual 2), and the same session again.
    await page.goto(server.url(`/checkin?day=${day(-2)}`));
    await go(page, 'link', 'Day after');
    assert.deepEqual(await checkinDay(page), { day: day(-1), heading: `Check in: ${dateLabel(day(-1))}` });
    // What was saved for D-2 is not shown on D-1's page.
    const group = page.getByRole('group', { name: exercise.name, exact: true });
    assert.equal(await group.getByRole('radio', { name: 'Done', exact: true }).isChecked(), false, 'D-1 starts blank');
    await checkA11y(page, `checkin (${day(-1)}, D-1)`);
    await fillCheckin(page, {
      morning: { pain: 2, usual: 2 },
      exercises: [{ ...exercise, done: true, pain: 3, goodForm: true }],
    });
    await saveCheckin(page);
    assert.equal(pathOf(page), '/progress');

    // D (today), reached with "Day after" from D-1: another settled morning.
    await page.goto(server.url(`/checkin?day=${day(-1)}`));
    await go(page, 'link', 'Day after');
    assert.deepEqual(await checkinDay(page), { day: D, heading: 'Check in: Today' });
    assert.equal(await page.getByRole('link', { name: 'Day after', exact: true }).count(), 0, 'no day after today');
    await checkA11y(page, `checkin (${D}, today)`);
    await fillCheckin(page, { morning: { pain: 2, usual: 2 } });
    await saveCheckin(page);
    assert.equal(pathOf(page), '/progress');

    // Each day shows again what was saved for it (the check-ins were stored against the right days).
    await page.goto(server.url(`/checkin?day=${day(-2)}`));
    let g = page.getByRole('group', { name: exercise.name, exact: true });
    assert.equal(await g.getByRole('radio', { name: 'Done', exact: true }).isChecked(), true, 'D-2: done');
    assert.equal(await g.getByLabel('Worst pain during it (0–10)', { exact: true }).inputValue(), '3', 'D-2: pain 3');
    await page.goto(server.url(`/checkin?day=${day(-1)}`));
    assert.equal(await page.getByLabel('Knee pain now (0 = none, 10 = worst)', { exact: true }).inputValue(), '2');
    g = page.getByRole('group', { name: exercise.name, exact: true });
    assert.equal(await g.getByRole('radio', { name: 'Done', exact: true }).isChecked(), true, 'D-1: done');
  });

  await t.test('the plan shows the change on that exercise', async () => {
    await page.goto(server.url('/plan'));
    await checkA11y(page, 'plan (after check-ins)');
    const after = await stepOneCards(page);
    assert.equal(after.length, before.length, 'Step 1 has as many exercises as before');
    const card = after[0];
    const context =
      `before: ${JSON.stringify(first)}\nafter:  ${JSON.stringify(card)}\n` +
      `(the plan was saved today, ${D}; the sessions were checked in for ${day(-2)} and ${day(-1)})`;
    assert.ok(card.latestChange, `the first Step-1 card has a "Latest change" note\n${context}`);
    assert.match(card.latestChange, /^Latest change: /, context);
    // The others were not done, so they are unchanged.
    assert.deepEqual(after.slice(1), before.slice(1), 'the other Step-1 exercises are unchanged');

    // Something changed: a harder version, two more repetitions, or a longer hold (one thing only).
    const note = card.latestChange;
    if (card.name !== first.name) {
      assert.match(note, new RegExp(`harder version|move on to ${card.name}`, 'i'), `the note names the new version\n${context}`);
    } else {
      const a = doseBefore;
      const b = parseDose(card.dose);
      assert.notEqual(card.dose, first.dose, `the dose changed\n${context}`);
      assert.equal(b.sets, a.sets, `one thing changes at a time: sets\n${context}`);
      assert.equal(b.perWeek, a.perWeek, `one thing changes at a time: days a week\n${context}`);
      if (b.reps !== a.reps) {
        assert.equal(b.reps, a.reps + 2, `two more repetitions\n${context}`);
        assert.equal(b.hold, a.hold, `only the repetitions changed\n${context}`);
        assert.match(note, /repetitions/i, `the note says the repetitions go up\n${context}`);
      } else {
        assert.ok(a.hold !== null && b.hold > a.hold, `a longer hold\n${context}`);
        assert.match(note, /hold|longer|seconds/i, `the note says the hold gets longer\n${context}`);
        assert.doesNotMatch(note, /repetitions/i, `the note does not promise more repetitions for a longer hold\n${context}`);
      }
    }
    // The note says why, in the person's terms.
    assert.match(note, /within the pain rules/i, context);
  });

  await t.test('progress shows the morning pain chart and the change by the pain rules', async () => {
    await page.goto(server.url('/progress'));
    await checkA11y(page, 'progress');
    const pain = page.getByRole('region', { name: 'Morning pain', exact: true });
    const chart = pain.locator('svg.chart');
    assert.equal(await chart.count(), 1, 'one chart under "Morning pain"');
    await chart.waitFor({ state: 'visible' });
    assert.equal(await chart.getAttribute('role'), 'img');
    const lines = chart.locator('polyline.chart-line');
    const linePoints = await lines.evaluateAll((ls) => ls.map((l) => l.getAttribute('points')));
    assert.ok(
      linePoints.length >= 1 && linePoints.some((p) => p.trim().split(/\s+/).length >= 2),
      `a line through two or more mornings (D-1 and today): polylines ${JSON.stringify(linePoints)}; ` +
        `numbers: ${(await pain.locator('table tbody tr').allTextContents()).join('; ') || '(no table)'}`,
    );
    assert.ok((await chart.locator('circle.chart-dot').count()) >= 2, 'dots on the morning pain chart');
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 200 && box.x >= 0 && box.x + box.width <= 391, `the chart fits the phone (${JSON.stringify(box)})`);
    // The same numbers as a table (inside a closed <details>, hence textContent).
    const rows = await pain.locator('table tbody tr').allTextContents();
    assert.ok(rows.some((r) => r.startsWith(dateLabel(day(-1))) && r.includes('2/10')), `D-1's morning in the table: ${rows}`);
    assert.ok(rows.some((r) => r.startsWith(dateLabel(D)) && r.includes('2/10')), `today's morning in the table: ${rows}`);

    const changes = await progressChanges(page);
    const byRules = changes.cards.filter((c) => /by the pain rules$/.test(c.head));
    assert.equal(byRules.length, 1, `one change by the pain rules:\n${changes.text}`);
    assert.ok(byRules[0].head.startsWith(`${exercise.name} · `), `the change names ${exercise.name}: ${byRules[0].head}`);
    assert.match(byRules[0].note, /within the pain rules/i);
  });

  await t.test('screenshots of the check-in and progress pages', async () => {
    // With the real Content-Security-Policy: a context without axe, signed in through the form.
    const shots = await openPhone(browser, server);
    const p = shots.page;
    const problems = [];
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${p.url()})`);
    });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message} (${p.url()})`));
    await signInDemo(p);
    // Yesterday's check-in: a morning report and a session, both filled in.
    await p.goto(server.url(`/checkin?day=${day(-1)}`));
    await shoot(p, '10-checkin');
    await p.goto(server.url('/progress'));
    await shoot(p, '11-progress');
    assert.deepEqual(problems, [], 'console errors or warnings');
    await shots.close();
  });

  await phone.close(); // asserts that every request went to kneeroot itself
});

test('a warning sign in a check-in: get seen today, and no plan change', { timeout: 180_000 }, async () => {
  const phone = await openPhone(browser, server, { axe: true });
  const { page } = phone;
  await signUpWithPlan(page, 'warning.sign@example.test');
  await page.goto(server.url('/plan'));
  const [first] = await stepOneCards(page);
  assert.ok(first, 'Step 1 has an exercise');

  await page.goto(server.url('/checkin'));
  await checkA11y(page, 'checkin (warning sign)');
  // A session that on its own would make the rules ease the exercise at once (8/10 during it) ...
  await fillCheckin(page, {
    morning: { pain: 6, usual: 2 },
    exercises: [{ id: first.id, name: first.name, done: true, pain: 8, goodForm: true }],
  });
  // ... and a locked knee, found by its words.
  const locked = page.getByRole('checkbox', { name: /^Is your knee locked/ });
  assert.equal(await locked.getAttribute('name'), 'flag');
  assert.equal(await locked.getAttribute('value'), 'flag.knee_locked');
  await locked.check();
  await saveCheckin(page);

  await page.getByRole('heading', { level: 1, name: 'Get seen today', exact: true }).waitFor();
  await checkA11y(page, 'stop page (after a check-in)');
  assert.match(await page.locator('main').innerText(), /locked/i, 'the page says why');
  assert.equal(
    await page.locator('main').getByRole('link', { name: /answered by mistake/ }).getAttribute('href'),
    '/checkin',
    'a mistaken answer can be changed on the check-in page',
  );

  // Safety came first: the rules did not touch the plan.
  await page.goto(server.url('/progress'));
  const changes = await progressChanges(page);
  assert.deepEqual(changes.cards, [], `no plan change:\n${changes.text}`);
  assert.match(changes.text, /None yet/);
  // And the plan stays stopped while the warning sign stands: the plan page says where to go instead.
  await page.goto(server.url('/plan'));
  assert.match(await page.locator('main h1').innerText(), /Get seen today/);
  assert.equal(await page.locator('main section[aria-labelledby="step-1"]').count(), 0, 'no exercises while care comes first');
  await checkA11y(page, 'plan (stopped by a warning sign)');

  await phone.close();
});
