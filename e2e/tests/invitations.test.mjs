// Clinic administration and invitations on a phone. The demo administrator signs in (landing on /admin),
// gets a plain error for a patient's invitation without a clinician, then invites a patient linked to the
// demo physio and copies the link shown once; the invited person opens it in another browser, creates their
// account and lands on the assessment; the link then says it has been used. The demo physio invites the demo
// patient from /clinic/invitations, and the patient, signed in, shares their record. axe runs on every page,
// no page scrolls sideways, and no request leaves kneeroot's origin.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkA11y, go, launchBrowser, openPhone, pathOf } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const PASSWORD = 'a long enough password';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, email, password, landing) {
  await page.goto(server.url('/login'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await go(page, 'button', 'Sign in');
  assert.equal(pathOf(page), landing, `${email} lands on ${landing}`);
}

/** axe, and nothing wider than the phone. */
async function checkPage(page, label) {
  await checkA11y(page, label);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `${label} scrolls sideways by ${wide}px`);
}

test('an administrator invites a patient, who joins with the link', async () => {
  const admin = await openPhone(browser, server, { axe: true });
  const newcomer = await openPhone(browser, server, { axe: true });
  try {
    const page = admin.page;
    await signIn(page, 'admin@demo.kneeroot.invalid', 'demo-admin-pass', '/admin');
    await checkPage(page, '/admin');
    assert.ok(await page.getByRole('link', { name: 'Clinic', exact: true }).isVisible());

    await page.getByLabel('Their email').fill('new.patient@example.com');
    await page.getByLabel('A patient, linked to the clinician chosen below').check();
    await go(page, 'button', 'Make the invitation');
    assert.match(await page.getByRole('alert').innerText(), /Choose the clinician/);
    await checkPage(page, '/admin (a refused invitation)');

    await page.getByLabel('For a patient: their clinician').selectOption({ label: 'physio@demo.kneeroot.invalid' });
    await go(page, 'button', 'Make the invitation');
    await checkPage(page, 'the invitation link');
    const link = await page.getByLabel(/^Invitation link/).inputValue();
    assert.match(link, /\/invite\/[0-9a-f]{64}$/);

    const p = newcomer.page;
    await p.goto(link);
    await checkPage(p, '/invite (a new account)');
    assert.equal(await p.getByLabel(/^Email/).inputValue(), 'new.patient@example.com');
    await p.getByLabel(/^Password/).fill(PASSWORD);
    await p.getByLabel('The same password again').fill(PASSWORD);
    await go(p, 'button', 'Create my account');
    assert.equal(pathOf(p), '/assess');

    await p.goto(link);
    await checkPage(p, '/invite (accepted)');
    assert.match(await p.getByRole('heading', { level: 1 }).innerText(), /You have accepted/);

    await page.goto(server.url('/admin'));
    assert.match(await page.locator('main').innerText(), /accepted/);
  } finally {
    await admin.close();
    await newcomer.close();
  }
});

test('a clinician invites a patient who already uses kneeroot, and they share their record', async () => {
  const physio = await openPhone(browser, server, { axe: true });
  const patient = await openPhone(browser, server, { axe: true });
  try {
    const page = physio.page;
    await signIn(page, 'physio@demo.kneeroot.invalid', 'demo-physio-pass', '/clinic');
    await page.goto(server.url('/clinic/invitations'));
    await checkPage(page, '/clinic/invitations');
    await page.getByLabel("Your patient's email").fill('patient@demo.kneeroot.invalid');
    await go(page, 'button', 'Make the invitation');
    const link = await page.getByLabel(/^Invitation link/).inputValue();

    const p = patient.page;
    await signIn(p, 'patient@demo.kneeroot.invalid', 'demo-patient-pass', '/account');
    await p.goto(link);
    await checkPage(p, '/invite (share)');
    await go(p, 'button', 'Accept and share my record with physio@demo.kneeroot.invalid');
    await checkPage(p, '/invite/…/accept');
    assert.match(await p.getByRole('heading', { level: 1 }).innerText(), /Your record is shared/);

    await page.goto(server.url('/clinic/invitations'));
    await checkPage(page, '/clinic/invitations (accepted)');
  } finally {
    await physio.close();
    await patient.close();
  }
});
