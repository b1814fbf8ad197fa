// A red flag: numbness around the bottom or genitals, or a change in bladder or bowels (a possible
// cauda equina syndrome). The wizard stops on the "where to go now" page, which sends the person to the
// emergency department and offers no plan.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { answer, checkA11y, go, launchBrowser, openPhone, pathOf } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

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

test('numbness around the bottom or a bladder or bowel change: go to the emergency department, no plan', { timeout: 120_000 }, async () => {
  const phone = await openPhone(browser, server, { axe: true });
  const { page } = phone;

  await page.goto(server.url('/assess'));
  await go(page, 'link', 'Start');
  assert.equal(pathOf(page), '/assess/about');
  await answer(page, { age: '58', side: 'left' }); // the rest left blank, as a person may
  await go(page, 'button', 'Next');
  assert.equal(pathOf(page), '/assess/flags');
  await checkA11y(page, 'wizard: flags');

  // Answered as a person would: find the question by its words, and say yes; no to every other one.
  const question = page.getByRole('group', { name: /numbness around your bottom or genitals.*bladder or bowels/ });
  await question.getByRole('radio', { name: 'Yes', exact: true }).check();
  const others = await page
    .locator('form input[type=radio][value=no]')
    .evaluateAll((els) => [...new Set(els.map((e) => e.name))]);
  const rest = others.filter((n) => n !== 'flag.saddle_numbness_or_bladder_bowel_change');
  assert.equal(rest.length, others.length - 1, `the question is flag.saddle_numbness_or_bladder_bowel_change`);
  await answer(page, Object.fromEntries(rest.map((n) => [n, 'no'])));
  await go(page, 'button', 'Next');

  // The stop page.
  assert.equal(pathOf(page), '/assess/stop');
  await checkA11y(page, 'stop page');
  await page.getByRole('heading', { level: 1, name: 'Get help now' }).waitFor();
  const main = page.locator('main');
  assert.match(await main.innerText(), /go to the emergency department/i);
  // No way on to a plan, neither a link nor a button.
  assert.equal(await main.locator('a[href^="/plan"], a[href^="/results"]').count(), 0, 'no plan or results link');
  assert.equal(await page.getByRole('link', { name: /plan/i }).count(), 0, 'no link named "plan" anywhere');
  assert.equal(await page.getByRole('button', { name: /plan|results/i }).count(), 0, 'no plan or results button');
  // The person can still correct a mistaken answer.
  assert.equal(await main.getByRole('link', { name: /answered by mistake/ }).getAttribute('href'), '/assess/flags');

  // Asking for the plan directly leads back to the stop page.
  await page.goto(server.url('/plan'));
  assert.equal(pathOf(page), '/assess/stop', 'no plan is given with a red flag');

  await phone.close();
});
