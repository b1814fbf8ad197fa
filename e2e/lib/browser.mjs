// Debian's Chromium, driven by playwright-core, as a phone; every request recorded so that a test fails
// if a page reaches any origin but kneeroot's own; and axe-core for accessibility.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Debian's Chromium (`apt-get install chromium`); override with $CHROMIUM. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Flags known to work on these machines: without the background-networking ones Chromium keeps trying
 * to reach Google's services through a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A phone: roughly an iPhone 12–15 sized viewport. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  screen: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'en-GB',
};

/**
 * Launch Chromium. Playwright gives every launch a new, empty profile (its own temporary
 * --user-data-dir, removed again on close), so nothing carries over between runs.
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * A phone-sized browser context on `server` with one page, recording every request.
 *
 * `axe: true` makes a context in which checkA11y can run: kneeroot's Content-Security-Policy forbids
 * inline scripts, so axe's source can only be injected with the page's CSP bypassed. Only contexts that
 * run axe get that; the others (screenshots) see the real CSP.
 *
 * Returns `{ context, page, requests, assertFirstParty(), close() }`. `close` asserts first-party too.
 */
export async function openPhone(browser, server, { axe = false } = {}) {
  const context = await browser.newContext({ ...PHONE, bypassCSP: axe });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(20_000);
  const requests = [];
  context.on('request', (req) => {
    let from;
    try {
      from = req.frame().url();
    } catch {
      from = undefined; // a service worker's request has no frame
    }
    requests.push({ method: req.method(), url: req.url(), type: req.resourceType(), from });
  });
  // Web sockets do not show up as requests.
  context.on('page', (p) => p.on('websocket', (ws) => requests.push({ method: 'WS', url: ws.url(), type: 'websocket' })));
  const page = await context.newPage();
  const origin = new URL(server.origin).origin;

  const thirdParty = () =>
    requests.filter((r) => {
      const u = new URL(r.url);
      // data: URLs (allowed by the CSP for pictures) and about:blank do not touch the network.
      if (u.protocol === 'data:' || u.protocol === 'about:') return false;
      return u.origin !== origin;
    });
  const assertFirstParty = () => {
    const bad = thirdParty();
    assert.equal(
      bad.length,
      0,
      `Requests to origins other than ${origin} (privacy: kneeroot must not make any):\n` +
        bad.map((r) => `  ${r.method} ${r.url} (${r.type}, from ${r.from ?? '?'})`).join('\n'),
    );
    assert.ok(requests.length > 0, 'no request was recorded at all: the recorder is broken');
  };
  let closed = false;
  return {
    context,
    page,
    requests,
    assertFirstParty,
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      assertFirstParty();
    },
  };
}

let axeSource;

/** Violations of a finished axe run, one readable block each. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\n/g, '\n        ');
          return `    - ${n.target.join(' ')}\n      ${n.html}\n        ${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Run axe-core (all of its standard rules: WCAG 2.x A and AA, and best practice) on the page as it is
 * now, with its <details> opened, and assert there are no violations. `label` names the page in the message; it defaults to the
 * path. The context must have been opened with `axe: true`.
 */
export async function checkA11y(page, label) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const name = label ?? new URL(page.url()).pathname;
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource });
    assert.ok(
      await page.evaluate(() => typeof window.axe === 'object'),
      `axe-core could not be injected into ${name}: was the context opened with { axe: true }?`,
    );
  }
  // Open every <details> (help texts, FAQ answers) so that what they hide is checked too, then put
  // them back as they were.
  const results = await page.evaluate(async () => {
    const closed = [...document.querySelectorAll('details:not([open])')];
    closed.forEach((d) => (d.open = true));
    try {
      return await window.axe.run(document, { resultTypes: ['violations'], reporter: 'v2' });
    } finally {
      closed.forEach((d) => (d.open = false));
    }
  });
  const violations = results.violations;
  assert.equal(
    violations.length,
    0,
    `axe found ${violations.length} accessibility violation(s) on ${name} (${page.url()}):\n${formatViolations(violations)}`,
  );
  return results;
}

/**
 * Answer the questions on a wizard page. `answers` maps an answer id (the inputs' name) to a value: a
 * string for a radio button or a number field, an array of strings for checkboxes. A missing input fails
 * at once (after the context's default timeout), naming the answer.
 */
export async function answer(page, answers) {
  for (const [id, value] of Object.entries(answers)) {
    const inputs = page.locator(`form input[name="${id}"]`);
    const first = inputs.first();
    await first.waitFor({ state: 'attached' }).catch(() => {
      throw new Error(`no input named ${id} on ${page.url()}`);
    });
    const type = await first.getAttribute('type');
    if (type === 'radio') {
      await page.locator(`form input[name="${id}"][value="${value}"]`).check();
    } else if (type === 'checkbox') {
      for (const v of [].concat(value)) await page.locator(`form input[name="${id}"][value="${v}"]`).check();
    } else {
      await first.fill(String(value));
    }
  }
}

/** Click a button or link by its visible name and wait for the page it leads to. */
export async function go(page, role, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole(role, { name, exact: true }).click()]);
}

/** Path of the page now shown. */
export function pathOf(page) {
  return new URL(page.url()).pathname;
}
