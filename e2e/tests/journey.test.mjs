// A new person on a phone: the whole assessment, results, plan, an account, signing out and in again,
// and the plan found again. axe runs on every page visited; no request may leave kneeroot's origin.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkA11y, go, launchBrowser, openPhone, pathOf } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';
import { JOURNEY, walkWizard } from '../lib/wizard.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const EMAIL = 'new.person@example.test';
const PASSWORD = 'a long enough password';

/** The exercise names on the plan page now shown, by step. */
async function planCards(page) {
  const steps = page.locator('main section[aria-labelledby^="step-"]');
  const out = [];
  for (const step of await steps.all()) {
    out.push({
      heading: (await step.getByRole('heading', { level: 2 }).innerText()).trim(),
      exercises: (await step.locator('article.exercise h3').allInnerTexts()).map((s) => s.trim()),
    });
  }
  return out;
}

test('a new person on a phone: assessment, results, plan, account, sign out and in, plan again', { timeout: 180_000 }, async () => {
  const phone = await openPhone(browser, server, { axe: true });
  const { page } = phone;
  const visited = [];
  const missingCsp = [];
  page.on('response', (res) => {
    if (res.request().resourceType() === 'document' && !res.headers()['content-security-policy']) {
      missingCsp.push(res.url());
    }
  });
  const a11y = async (label) => {
    visited.push(`${label ?? pathOf(page)}`);
    await checkA11y(page, label);
  };

  // Home.
  await page.goto(server.url('/'));
  await a11y('home');
  await go(page, 'link', 'Start the assessment');
  assert.equal(pathOf(page), '/assess');
  await a11y('assessment start');
  await go(page, 'link', 'Start');
  assert.equal(pathOf(page), '/assess/about');

  // The wizard, page by page, with axe on each (the squat page twice: its details open after "I did it").
  await walkWizard(page, {
    onPage: async (step, i) => {
      const again = i > 0 && JOURNEY[i - 1].group === step.group;
      await a11y(`wizard: ${step.group}${again ? ' (details)' : ''}`);
      // Each wizard page tells the person where they are.
      await page.getByText(/^Part \d+ of \d+$/).waitFor();
    },
  });

  // Results: four root causes and the body diagram.
  assert.equal(pathOf(page), '/results');
  await a11y('results');
  await page.getByRole('heading', { level: 1, name: 'What seems to be driving your knee pain' }).waitFor();
  const causes = page.locator('main section.cause');
  assert.equal(await causes.count(), 4, 'the results list four root causes');
  const causeHeadings = await causes.locator('h2').allInnerTexts();
  causeHeadings.forEach((h, i) => assert.match(h, new RegExp(`^${i + 1}\\. \\S`), `cause heading ${i + 1}: ${h}`));
  const diagram = page.locator('main figure svg');
  await diagram.waitFor({ state: 'visible' });
  const box = await diagram.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `the body diagram is drawn (${JSON.stringify(box)})`);
  assert.ok(box.x >= 0 && box.x + box.width <= 390 + 1, `the body diagram fits the phone's width (${JSON.stringify(box)})`);

  // The plan: three steps with exercise cards.
  await go(page, 'link', 'See my plan');
  assert.equal(pathOf(page), '/plan');
  await a11y('plan (before signing up)');
  const plan = await planCards(page);
  assert.equal(plan.length, 3, `three steps: ${JSON.stringify(plan)}`);
  plan.forEach((s, i) => assert.match(s.heading, new RegExp(`^Step ${i + 1}: `)));
  assert.ok(plan[0].exercises.length > 0, `step 1 has exercise cards: ${JSON.stringify(plan)}`);
  assert.ok(plan.flatMap((s) => s.exercises).length >= 3, `several exercise cards: ${JSON.stringify(plan)}`);

  // Nothing on the page is wider than the phone (no sideways scrolling).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the plan page scrolls sideways by ${overflow}px on a phone`);

  // Create an account, from the results page's offer; the assessment in progress is saved with it.
  await page.goto(server.url('/results'));
  await go(page, 'link', 'Create an account');
  assert.equal(pathOf(page), '/signup');
  await a11y('signup');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await go(page, 'button', 'Create my account');
  assert.match(pathOf(page), /^\/assessments\/[^/]+$/, `taken to the saved assessment, not ${page.url()}`);
  const savedAt = pathOf(page);
  await a11y('saved assessment');
  assert.equal(await page.locator('main section.cause').count(), 4, 'the saved assessment shows the causes');
  assert.deepEqual(
    await page.locator('main section.cause h2').allInnerTexts(),
    causeHeadings,
    'the saved assessment has the same result',
  );

  // The account page lists it; sign out.
  await go(page, 'link', 'Account');
  assert.equal(pathOf(page), '/account');
  await a11y('account');
  await page.getByText(EMAIL).first().waitFor();
  assert.equal(await page.locator(`main a[href="${savedAt}"]`).count(), 1, 'the account lists the saved assessment');
  await go(page, 'button', 'Sign out');
  assert.equal(pathOf(page), '/');
  await a11y('home (signed out)');
  assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 1, 'signed out: the menu offers Sign in');
  assert.equal(await page.getByRole('link', { name: 'My plan' }).count(), 0, 'signed out: no plan in the menu');

  // Sign in again and find the plan.
  await go(page, 'link', 'Sign in');
  assert.equal(pathOf(page), '/login');
  await a11y('login');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await go(page, 'button', 'Sign in');
  await page.getByRole('alert').waitFor();
  await a11y('login (wrong password)');
  await page.getByLabel('Password').fill(PASSWORD);
  await go(page, 'button', 'Sign in');
  assert.equal(pathOf(page), '/account');
  await a11y('account (signed in again)');
  await go(page, 'link', 'My plan');
  assert.equal(pathOf(page), '/plan');
  await a11y('plan (signed in)');
  assert.deepEqual(await planCards(page), plan, 'the same plan, found again after signing in');

  // The other pages a person may open.
  await go(page, 'link', 'Questions');
  assert.equal(pathOf(page), '/faq');
  await a11y('faq');
  await page.goto(server.url('/api/docs'));
  await a11y('api docs');
  await page.getByRole('heading', { level: 1, name: 'kneeroot API' }).waitFor();

  assert.deepEqual(missingCsp, [], 'every page is served with a Content-Security-Policy');
  await phone.close(); // asserts that every request went to kneeroot itself
  assert.ok(visited.length >= 20, `axe ran on ${visited.length} pages: ${visited.join(', ')}`);
});
