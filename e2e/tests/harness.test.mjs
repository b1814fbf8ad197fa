// The checks the other tests rely on must be able to fail: axe reports a known violation, and a request
// to another origin is caught. (Nothing here leaves the machine: the "other origin" is answered by
// Playwright itself.)

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkA11y, launchBrowser, openPhone } from '../lib/browser.mjs';
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

test('checkA11y reports violations readably', async () => {
  const phone = await openPhone(browser, server, { axe: true });
  const { page } = phone;
  await page.goto(server.url('/faq'));
  // Break the page the way a template might: a picture without a text alternative, an unlabeled input.
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = '/assets/favicon.svg';
    document.querySelector('main').append(img);
    const input = document.createElement('input');
    input.type = 'text';
    document.querySelector('main').append(input);
  });
  await assert.rejects(checkA11y(page, 'broken faq'), (e) => {
    assert.match(e.message, /on broken faq/);
    assert.match(e.message, /image-alt/);
    assert.match(e.message, /label/);
    assert.match(e.message, /<img src="\/assets\/favicon.svg">/);
    return true;
  });
  await phone.close();
});

test('a request to another origin fails the test', async () => {
  const phone = await openPhone(browser, server);
  const { page, context } = phone;
  await context.route('http://tracker.example.invalid/**', (route) =>
    route.fulfill({ status: 204, body: '' }),
  );
  await page.goto(server.url('/'));
  phone.assertFirstParty();
  // kneeroot's CSP would block an <img> from elsewhere before it is requested, so open a page of the
  // other origin instead (answered by the route above, so nothing leaves the machine).
  const other = await context.newPage();
  await other.goto('http://tracker.example.invalid/pixel').catch(() => {});
  await other.close();
  assert.throws(() => phone.assertFirstParty(), /tracker\.example\.invalid\/pixel/);
  await context.close();
});

test('a page served with the real CSP keeps inline script out', async () => {
  // The contexts without axe see kneeroot's real Content-Security-Policy.
  const phone = await openPhone(browser, server);
  const { page } = phone;
  await page.goto(server.url('/'));
  const ran = await page.evaluate(() => {
    window.__inline = false;
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true;';
    document.head.append(s);
    return window.__inline;
  });
  assert.equal(ran, false, 'an inline script ran: the CSP is missing or the context bypasses it');
  await phone.close();
});
