// The physiotherapist's side on a phone, with a patient on the other end. A new person takes the
// assessment and signs up (so they have a plan), then books a free slot of the demo physio from
// /appointments/new with a reason; the confirmation page shows the time in the clinic's zone and the .ics
// link answers text/calendar. The demo physio, in another browser, finds the newcomer on the caseload
// (triage and most likely cause), the appointment and its reason on the day and week schedule, the
// patient's assessment with the same explanation the patient was given, and changes the dose of one
// exercise with a note. The patient's plan then shows the new dose and the note, told as their
// physiotherapist's, and /account/access lists the physio's looks and the change. The administrator's
// page is checked too. axe runs on every page, no page scrolls sideways at the phone's width, and no
// request leaves kneeroot's origin.
//
// With UPDATE_SCREENSHOTS=1, docs/screenshots/12-appointments-new.png to 16-clinic-schedule-week.png are
// rewritten (taken with the real Content-Security-Policy in force, as in screenshots.test.mjs).

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
const PATIENT = 'booking.patient@example.test';
const PHYSIO = { email: 'physio@demo.kneeroot.invalid', password: 'demo-physio-pass' };
const ADMIN = { email: 'admin@demo.kneeroot.invalid', password: 'demo-admin-pass' };
/** The demo physio's clinic (their hours are seeded by `serve --demo` in this zone). */
const CLINIC_ZONE = 'Europe/London';
const REASON = 'Pain going down stairs since the spring; I would like my squat checked.';
const NOTE = 'Fewer repetitions for now, with a slow lowering; we will build up again next week.';

let server;
let browser;
let outDir;

before(async () => {
  outDir = UPDATE ? DOCS : mkdtempSync(join(tmpdir(), 'kneeroot-physio-screenshots-'));
  mkdirSync(outDir, { recursive: true });
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (!UPDATE && outDir) rmSync(outDir, { recursive: true, force: true });
});

async function signIn(page, { email, password }, landing) {
  await page.goto(server.url('/login'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await go(page, 'button', 'Sign in');
  assert.equal(pathOf(page), landing, `${email} lands on ${landing}`);
}

/** No wider than the phone. Against the phone's width, not window.innerWidth: a mobile layout viewport
 * widens to fit content that overflows, so innerWidth grows with the overflow and hides it. */
async function assertFitsPhone(page, label) {
  const { overflow, culprits } = await page.evaluate((w) => {
    // The innermost elements reaching past the phone's right edge: what to fix.
    const past = [...document.body.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > w + 0.5);
    const innermost = past.filter((e) => !past.some((o) => o !== e && e.contains(o)));
    const name = (e) => {
      const classes = String(e.className).trim();
      return `${e.tagName.toLowerCase()}${classes ? `.${classes.replace(/\s+/g, '.')}` : ''}`;
    };
    const describe = (e) => `${name(e.parentElement)} > ${name(e)}: "${e.textContent.trim().slice(0, 40)}"`;
    return { overflow: document.documentElement.scrollWidth - w, culprits: innermost.slice(0, 5).map(describe) };
  }, PHONE.viewport.width);
  const wide = culprits.join('\n  ');
  assert.ok(overflow <= 0, `${label} scrolls sideways by ${overflow}px on a phone; too wide:\n  ${wide}`);
}

/** axe, and nothing wider than the phone. */
async function checkPage(page, label) {
  await checkA11y(page, label);
  await assertFitsPhone(page, label);
}

/** The parts of an instant in the clinic's zone, as `Intl` names them. */
function zoned(utcMs, options) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: CLINIC_ZONE, ...options }).formatToParts(new Date(utcMs));
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** "Tue 3 Mar 2026, 10:00 (GMT)": how kneeroot writes an appointment's time (core `local_label`). */
function clinicLabel(utcMs) {
  const p = zoned(utcMs, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  // Intl writes "Sept" for September in en-GB; chrono writes "Sep".
  return `${p.weekday} ${p.day} ${p.month.slice(0, 3)} ${p.year}, ${p.hour}:${p.minute} (${p.timeZoneName})`;
}

/** "10:00 (GMT)" in the clinic's zone (core `local_time`). */
function clinicTime(utcMs) {
  const p = zoned(utcMs, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
  return `${p.hour}:${p.minute} (${p.timeZoneName})`;
}

/** The clinic's local date, YYYY-MM-DD. */
function clinicDate(utcMs) {
  const p = zoned(utcMs, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

/** An instant as iCalendar writes it in UTC: 20260303T100000Z. */
function icsInstant(utcMs) {
  return new Date(utcMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Text with its whitespace folded. */
const folded = (s) => s.replace(/\s+/g, ' ').trim();

/** The text of an element, whitespace folded. */
async function textOf(locator) {
  return folded(await locator.innerText());
}

/** The patient's appointments on the schedule page now shown. */
function scheduled(page) {
  return page.locator('main ul.schedule > li').filter({ has: page.getByRole('link', { name: PATIENT, exact: true }) });
}

/** "2 × 10, held 5 s, 3 days a week" → { sets, reps, hold, perWeek }. */
function parseDose(text) {
  const m = /^(\d+) × (\d+)(?:, held (\d+) s)?, (\d+) days? a week$/.exec(text.trim());
  assert.ok(m, `a dose line kneeroot writes: ${JSON.stringify(text)}`);
  return { sets: +m[1], reps: +m[2], hold: m[3] === undefined ? null : +m[3], perWeek: +m[4] };
}

/** Save a full-page screenshot as NAME.png (into docs/ only when updating), after the usual checks. */
async function shoot(page, name) {
  const broken = await page.evaluate(() =>
    [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
  );
  assert.deepEqual(broken, [], `pictures that did not load on ${name}`);
  await assertFitsPhone(page, name);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  if (UPDATE) console.log(`screenshot written: ${file}`);
}

/** A phone with the real CSP (no axe), recording console errors and warnings such as a CSP violation. */
async function phoneWithConsole() {
  const phone = await openPhone(browser, server);
  const problems = [];
  phone.page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()} (${phone.page.url()})`);
  });
  phone.page.on('pageerror', (e) => problems.push(`page error: ${e.message} (${phone.page.url()})`));
  phone.problems = problems;
  return phone;
}

test('a patient books the physio, who reads their assessment and changes a dose', { timeout: 300_000 }, async (t) => {
  const patient = await openPhone(browser, server, { axe: true });
  const physio = await openPhone(browser, server, { axe: true });
  const p = patient.page;
  const c = physio.page;
  // Filled in as the story goes; each step needs the ones before it, so after a failure the rest are
  // skipped rather than failing for want of what it would have found.
  const seen = {};
  let failed = null;
  const step = (name, fn) =>
    t.test(name, { skip: failed ? `after the failure of "${failed}"` : false }, async () => {
      try {
        await fn();
      } catch (e) {
        failed = name;
        throw e;
      }
    });

  await step('a new person takes the assessment and signs up', async () => {
    await p.goto(server.url('/assess'));
    await go(p, 'link', 'Start');
    await walkWizard(p);
    assert.equal(pathOf(p), '/results');
    await go(p, 'link', 'Create an account');
    await p.getByLabel('Email').fill(PATIENT);
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await go(p, 'button', 'Create my account');
    assert.match(pathOf(p), /^\/assessments\/[^/]+$/, `taken to the saved assessment, not ${p.url()}`);
    // What the patient was told: the causes in order, and why the first is first.
    seen.causes = (await p.locator('main section.cause h2').allInnerTexts()).map((h) =>
      h.replace(/^\d+\.\s*/, '').replace(/\s+—.*$/, '').trim(),
    );
    assert.ok(seen.causes.length >= 2, `the saved assessment lists causes: ${seen.causes}`);
    seen.evidence = (await p.locator('main section.cause').first().locator('ul.evidence > li').allTextContents()).map(
      folded,
    );
    assert.ok(seen.evidence.length > 0, 'the most likely cause is explained');
  });

  await step('the patient books a free slot of the demo physio', async () => {
    await p.goto(server.url('/appointments'));
    await checkPage(p, '/appointments (none yet)');
    assert.match(await textOf(p.locator('main')), /No appointments booked/);
    await go(p, 'link', 'Book a physio');
    assert.equal(pathOf(p), '/appointments/new');
    await checkPage(p, '/appointments/new');

    const clinician = p.getByRole('region', { name: PHYSIO.email, exact: true });
    assert.equal(await clinician.count(), 1, 'the demo physio has a section of free times');
    assert.match(await textOf(clinician), new RegExp(`Times in ${CLINIC_ZONE}`));
    const slots = clinician.locator('a.slot');
    assert.ok((await slots.count()) > 0, 'the demo physio has free times in the coming week (weekdays, 09:00–17:00)');
    // The second free time, so the page is not just showing a first entry by accident.
    const slot = slots.nth(Math.min(1, (await slots.count()) - 1));
    const href = await slot.getAttribute('href');
    const start = new URL(href, server.origin).searchParams.get('start');
    const startMs = Date.parse(start);
    assert.ok(Number.isFinite(startMs) && startMs > Date.now(), `the slot starts in the future: ${start}`);
    // The link says the clinic's local time, and its accessible name the whole date with the zone.
    assert.equal((await slot.innerText()).trim(), clinicTime(startMs), `the slot at ${start} reads in ${CLINIC_ZONE}`);
    assert.equal(await slot.getAttribute('aria-label'), `${clinicLabel(startMs)} with ${PHYSIO.email}`);
    seen.startMs = startMs;
    seen.when = clinicLabel(startMs);

    await Promise.all([p.waitForNavigation(), slot.click()]);
    assert.equal(pathOf(p), '/appointments/confirm');
    await checkPage(p, '/appointments/confirm');
    const details = await textOf(p.locator('main dl.appointment'));
    assert.ok(details.includes(PHYSIO.email), `the confirm page names the physio: ${details}`);
    assert.ok(details.includes(seen.when), `the confirm page shows ${seen.when}: ${details}`);
    assert.match(await textOf(p.locator('main form')), /We will share your assessment of .* with your physiotherapist/);
    await p.getByLabel(/^Why would you like to see a physiotherapist\?/).fill(REASON);
    await go(p, 'button', 'Book this time');

    assert.match(pathOf(p), /^\/appointments\/[^/]+$/, `the confirmation page, not ${p.url()}`);
    seen.appointment = pathOf(p);
    await checkPage(p, 'the appointment (booked)');
    const booked = await textOf(p.locator('main dl.appointment'));
    assert.ok(booked.includes(seen.when), `the local time ${seen.when} is shown: ${booked}`);
    assert.match(booked, new RegExp(`\\(${CLINIC_ZONE} time\\)`));
    assert.ok(booked.includes(REASON), 'the reason is kept');
    assert.match(booked, /Status Booked/);

    // The calendar file: UTC start, answered as text/calendar to the signed-in patient.
    const ics = p.getByRole('link', { name: 'Add to my calendar (.ics file)' });
    const res = await p.request.get(new URL(await ics.getAttribute('href'), server.origin).href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^text\/calendar\b/);
    const body = await res.text();
    assert.match(body, /^BEGIN:VCALENDAR\r\n/);
    assert.ok(body.includes(`DTSTART:${icsInstant(startMs)}`), `the .ics starts at ${icsInstant(startMs)}:\n${body}`);

    await p.goto(server.url('/appointments'));
    await checkPage(p, '/appointments (one booked)');
    const coming = p.locator('main ul.appointments > li');
    assert.equal(await coming.count(), 1);
    assert.ok((await textOf(coming)).includes(seen.when));
  });

  await step('the physio sees the patient on the caseload and the appointment on the schedule', async () => {
    await signIn(c, PHYSIO, '/clinic');
    await checkPage(c, '/clinic');
    // Booking linked the newcomer to the physio.
    const row = c.locator('main li.patient-row').filter({ has: c.getByRole('link', { name: PATIENT, exact: true }) });
    assert.equal(await row.count(), 1, 'the newcomer is on the caseload');
    const glance = await textOf(row.locator('dl.glance'));
    assert.match(glance, /Latest assessment .+; most likely: /, glance);
    assert.ok(glance.includes(`most likely: ${seen.causes[0]}`), `the top cause ${seen.causes[0]}: ${glance}`);
    assert.ok(glance.includes(`Next appointment ${seen.when}`), `the next appointment ${seen.when}: ${glance}`);

    // The day of the booking, reached from "Schedule" and then by date.
    await go(c, 'link', 'Schedule');
    assert.equal(pathOf(c), '/clinic/schedule');
    await checkPage(c, '/clinic/schedule (today)');
    const day = clinicDate(seen.startMs);
    await c.goto(server.url(`/clinic/schedule?day=${day}`));
    await checkPage(c, `/clinic/schedule?day=${day}`);
    const entry = scheduled(c);
    assert.equal(await entry.count(), 1, `the appointment is on ${day}`);
    const text = await textOf(entry);
    assert.ok(text.startsWith(`${clinicTime(seen.startMs)} to `), `at ${clinicTime(seen.startMs)}: ${text}`);
    assert.match(text, /· Booked/);
    assert.ok(text.includes(REASON), `with its reason: ${text}`);

    await go(c, 'link', 'Week view');
    assert.equal(pathOf(c), '/clinic/schedule/week');
    await checkPage(c, '/clinic/schedule/week');
    const inWeek = scheduled(c);
    assert.equal(await inWeek.count(), 1, 'the appointment is in its week');
    assert.ok((await textOf(inWeek)).includes(REASON));
    seen.week = new URL(c.url()).search;

    await c.goto(server.url('/clinic/availability'));
    await checkPage(c, '/clinic/availability');
    assert.equal(await c.getByLabel('Time zone (an IANA name such as Europe/London)').inputValue(), CLINIC_ZONE);

    await c.goto(server.url(`/clinic/schedule?day=${day}`));
    await Promise.all([c.waitForNavigation(), entry.getByRole('link', { name: PATIENT, exact: true }).click()]);
    assert.match(pathOf(c), /^\/clinic\/patients\/[^/]+$/);
    seen.patientPath = pathOf(c);
  });

  await step("the physio reads the patient's assessment", async () => {
    await checkPage(c, '/clinic/patients/{id}');
    assert.equal(await textOf(c.getByRole('heading', { level: 1 })), PATIENT);
    const assessment = c.getByRole('region', { name: 'Latest assessment', exact: true });
    // The same causes in the same order as the patient was shown, and the same reasons for the first.
    const summaries = (await assessment.locator('details.cause-detail > summary strong').allInnerTexts()).map((s) =>
      s.trim(),
    );
    assert.deepEqual(summaries, seen.causes, 'the physio sees the causes the patient saw');
    const first = assessment.locator('details.cause-detail').first();
    assert.equal(await first.getAttribute('open'), '', 'the most likely cause is open');
    assert.match(await textOf(first), /Because they said:/);
    const evidence = (await first.locator('ul.evidence > li').allTextContents()).map(folded);
    assert.deepEqual(evidence, seen.evidence, 'the explanation is the one the patient was given');
    const appointments = c.getByRole('region', { name: 'Appointments with you', exact: true });
    assert.ok((await textOf(appointments)).includes(REASON), 'the appointment and its reason are on the record');
  });

  await step('the physio changes the dose of one exercise, with a note', async () => {
    await go(c, 'link', 'Edit the plan');
    assert.equal(pathOf(c), `${seen.patientPath}/plan`);
    await checkPage(c, 'the plan edit page');
    const card = c.locator('main ul.plan-exercises > li').first();
    const name = (await card.getByRole('heading', { level: 3 }).innerText()).replace(/\s*\(step \d+\)\s*$/, '').trim();
    const before = parseDose(await card.locator('p.dose').innerText());
    await go(c, 'link', `Change ${name}`);
    await checkPage(c, 'the plan edit form');
    assert.equal(await textOf(c.getByRole('heading', { level: 2, name: `Change ${name}` })), `Change ${name}`);
    const reps = c.getByLabel(/^Repetitions/);
    assert.equal(await reps.getAttribute('name'), 'reps');
    // Fewer repetitions (never below the form's minimum of 1), so the pain rules' own step up cannot be
    // mistaken for the physio's change.
    const newReps = before.reps > 4 ? before.reps - 2 : before.reps + 3;
    await reps.fill(String(newReps));
    await c.getByLabel(/^A note for the patient/).fill(NOTE);
    await c.getByLabel(/^Why \(kept in the plan's change log/).fill('Pain on the stairs after sessions');
    await go(c, 'button', 'Save the change');
    assert.equal(pathOf(c), `${seen.patientPath}/plan`);
    assert.match(await textOf(c.getByRole('status')), new RegExp(`^Saved: the change to ${name} is in the plan`));
    await checkPage(c, 'the plan edit page (saved)');
    const after = c.locator('main ul.plan-exercises > li').filter({ has: c.getByRole('heading', { level: 3, name }) });
    const dose = parseDose(await after.locator('p.dose').innerText());
    assert.deepEqual(dose, { ...before, reps: newReps }, 'only the repetitions changed');
    seen.exercise = { name, before, dose };

    // The record lists the change with who made it (a long email in a narrow table column).
    await c.goto(server.url(seen.patientPath));
    await checkPage(c, '/clinic/patients/{id} (after the change)');
    const changes = await c
      .getByRole('region', { name: 'Plan in force', exact: true })
      .locator('table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent.replace(/\s+/g, ' ').trim())));
    assert.ok(
      changes.some(([, exercise, by, what]) => exercise === name && by.includes(PHYSIO.email) && what.includes(NOTE)),
      `the change, by the physio, with the note: ${JSON.stringify(changes)}`,
    );

    await c.goto(server.url('/clinic/invitations'));
    await checkPage(c, '/clinic/invitations');
  });

  await step("the patient's plan shows the physio's dose and note", async () => {
    await p.goto(server.url('/plan'));
    await checkPage(p, '/plan (changed by the physio)');
    const card = p.locator('main article.exercise').filter({
      has: p.getByRole('heading', { level: 3, name: seen.exercise.name, exact: true }),
    });
    assert.equal(await card.count(), 1, `one card for ${seen.exercise.name}`);
    assert.deepEqual(parseDose(await card.locator('p.dose').innerText()), seen.exercise.dose, 'the new dose');
    const notes = (await card.locator('p.notice').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.ok(
      notes.some((n) => n.startsWith(`Changed by your physiotherapist ${PHYSIO.email}, `) && n.endsWith(`: ${NOTE}`)),
      `the note, attributed to the physio: ${JSON.stringify(notes)}`,
    );

    await p.goto(server.url('/account/access'));
    await checkPage(p, '/account/access');
    const rows = await p.locator('main table.access-log tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.cells].map((td) => td.textContent.replace(/\s+/g, ' ').trim())),
    );
    const mine = rows.filter(([who]) => who.includes(PHYSIO.email));
    assert.ok(mine.length >= 2, `the physio's looks and change are listed: ${JSON.stringify(rows)}`);
    const listed = JSON.stringify(rows);
    assert.ok(mine.some(([, what]) => /^Looked at your record/.test(what)), `a look at the record: ${listed}`);
    assert.ok(mine.some(([, what]) => /^Changed your plan/.test(what)), `the change to the plan: ${listed}`);
    assert.ok(rows.every(([who]) => who.includes(PHYSIO.email)), `nobody else looked: ${JSON.stringify(rows)}`);
  });

  await step("the administrator's page", async () => {
    const admin = await openPhone(browser, server, { axe: true });
    try {
      await signIn(admin.page, ADMIN, '/admin');
      await checkPage(admin.page, '/admin');
    } finally {
      await admin.close();
    }
  });

  await step('screenshots of the booking and clinic pages', async () => {
    const shots = [await phoneWithConsole(), await phoneWithConsole()];
    const [pp, cc] = shots.map((s) => s.page);
    await signIn(pp, { email: PATIENT, password: PASSWORD }, '/account');
    await pp.goto(server.url('/appointments/new'));
    await shoot(pp, '12-appointments-new');
    await signIn(cc, PHYSIO, '/clinic');
    await shoot(cc, '13-clinic-caseload');
    await cc.goto(server.url(seen.patientPath));
    await shoot(cc, '14-clinic-patient');
    await cc.goto(server.url(`${seen.patientPath}/plan`));
    await cc.getByRole('link', { name: `Change ${seen.exercise.name}`, exact: true }).click();
    await cc.waitForURL(/\?exercise=/);
    await shoot(cc, '15-clinic-plan-edit');
    await cc.goto(server.url(`/clinic/schedule/week${seen.week}`));
    await shoot(cc, '16-clinic-schedule-week');
    for (const s of shots) {
      assert.deepEqual(s.problems, [], 'console errors or warnings');
      await s.close();
    }
  });

  await patient.close(); // asserts that every request went to kneeroot itself
  await physio.close();
});
