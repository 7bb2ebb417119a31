// Jointly browser tests: the skeleton journeys clicked through like a person, with axe-core on
// every page visited and a full-page screenshot of each in ./artifacts/.
//
//   cd e2e && npm ci && node run.mjs
//
// Needs the debug binary (`cargo build -p jointly`, or JOINTLY_BIN=/path/to/jointly) and
// Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Exits non-zero on any failure:
// a journey step that does not behave, an HTTP error, a script or console error, or any axe
// violation of WCAG 2.0/2.1/2.2 A and AA.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** A one-pixel PNG, for the file input. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC', 'base64');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.JOINTLY_BIN
  ? path.resolve(process.env.JOINTLY_BIN)
  : path.resolve(HERE, '../target/debug/jointly');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(HERE, 'artifacts');
const OVERALL_TIMEOUT_MS = Number(process.env.JOINTLY_E2E_TIMEOUT_SECONDS ?? 480) * 1000;
const NAVIGATION_TIMEOUT_MS = 15_000;
const ACTION_TIMEOUT_MS = 10_000;
const SERVER_START_TIMEOUT_MS = 60_000;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const STAFF_PASSWORD = 'jointly-demo';
const STAFF = {
  triage: 'triage@demo.jointly.example',
  physio: 'physio@demo.jointly.example',
  coordinator: 'coordinator@demo.jointly.example',
  msk: 'msk@demo.jointly.example',
  manager: 'manager@demo.jointly.example',
  admin: 'admin@demo.jointly.example',
};
// Ruth Adeyemi's referral to the MSK interface service (fixed in the demo).
const RUTH_MSK_REFERRAL = '/staff/referrals/01960000-0000-7000-8000-000000000052';
const AMELIA = { name: 'Amelia Khan', given: 'Amelia', email: 'amelia.khan@example.com', dob: ['12', '4', '1968'] };
// The person who refers themselves in journey (a). The demo database is fresh on every run,
// so fixed details are deterministic; the email is unlike any demo patient's.
const NEW_PATIENT = {
  given: 'Ruth',
  family: 'Adebayo',
  dob: ['3', '9', '1975'],
  postcode: 'LU1 3JU',
  phone: '07700 900982',
  email: 'ruth.adebayo.e2e@example.com',
  address: '14 Example Road',
  town: 'Luton',
  description:
    'Low back pain for six weeks after lifting boxes at work. It is worse in the morning and stops me sleeping well.',
};
const URDU_PATIENT = { given: 'Imran', family: 'Siddiqui', dob: ['21', '6', '1961'], postcode: 'LU4 8AA', phone: '07700 900456' };
const CARED_FOR = { given: 'Edna', family: 'Okafor', dob: ['2', '2', '1941'] };
const GP_PATIENT = { given: 'Lucy', family: 'Marsh', dob: ['9', '11', '1982'], sex: 'Female', postcode: 'LU2 7BB', phone: '07700 900321' };
const PHONE_PATIENT = { given: 'Kwame', family: 'Mensah', dob: ['30', '1', '1958'], sex: 'Male', postcode: 'LU3 2CC', phone: '07700 900654' };
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

// ---------------------------------------------------------------------------------------------
// Bookkeeping

const started = Date.now();
const failures = []; // { where, message }
let shotNumber = 0;
let server = null;
let browser = null;
let tempDir = null;
let baseUrl = null;

function log(message) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${seconds}s] ${message}`);
}

function fail(where, message) {
  failures.push({ where, message });
  console.log(`  FAIL (${where}): ${message}`);
}

class CheckError extends Error {}

function expect(condition, message) {
  if (!condition) throw new CheckError(message);
}

function slug(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------------------------
// The server

async function freePort() {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 18500 + Math.floor(Math.random() * 1000);
    const free = await new Promise((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port between 18500 and 19499');
}

async function startServer() {
  if (!fs.existsSync(BIN)) {
    throw new Error(`no jointly binary at ${BIN}: run \`cargo build -p jointly\` first (or set JOINTLY_BIN)`);
  }
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointly-e2e-'));
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const database = path.join(tempDir, 'demo.db');
  const logFile = fs.openSync(path.join(ARTIFACTS, 'server.log'), 'w');
  log(`starting ${BIN} demo on ${baseUrl} (database in ${tempDir})`);
  server = spawn(BIN, ['demo', '--database', database, '--listen', `127.0.0.1:${port}`], {
    cwd: tempDir,
    stdio: ['ignore', logFile, logFile],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let exited = null;
  server.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`the demo server exited early (${JSON.stringify(exited)}); see artifacts/server.log`);
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) {
        log('server is ready');
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the demo server was not ready within ${SERVER_START_TIMEOUT_MS / 1000}s`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const child = server;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

async function cleanUp() {
  if (browser) {
    await browser.close().catch(() => {});
    browser = null;
  }
  await stopServer();
  if (tempDir) {
    fs.rmSync(tempDir, { recursive: true, force: true });
    tempDir = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Pages: contexts, navigation, and the check run on every page visited

async function newContext(who) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  page.jointly = { who, problems: [], expectedStatus: 200 };
  page.on('pageerror', (error) => page.jointly.problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A page expected to answer 4xx (a form with problems, the 404 page) reports its own
    // status as a console error; that one is expected.
    const expected = page.jointly.expectedStatus;
    if (expected !== 200 && message.text().startsWith(`Failed to load resource: the server responded with a status of ${expected} `)) return;
    page.jointly.problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) return;
    if (response.status() >= 400) {
      page.jointly.problems.push(`${request.method()} ${response.url()} answered ${response.status()}`);
    }
  });
  page.on('requestfailed', (request) => {
    // An open conversation's event stream, and the fetch it starts, end when the page is
    // left (a reply posted, a link followed): aborted by the browser, not failed.
    const live = ['eventsource', 'fetch'].includes(request.resourceType());
    if (live && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    page.jointly.problems.push(`${request.method()} ${request.url()} failed: ${request.failure()?.errorText}`);
  });
  return { context, page };
}

/** Runs `action` (a click or key press) and waits until it has loaded a new document. */
async function navigateBy(page, action) {
  await page.evaluate(() => {
    window.__jointlyE2eOldDocument = true;
  });
  await action();
  await page.waitForFunction(() => !window.__jointlyE2eOldDocument, null, {
    timeout: NAVIGATION_TIMEOUT_MS,
    polling: 50,
  });
  await page.waitForLoadState('load');
}

/**
 * The check every page gets: the HTTP status of the document, no script, console or
 * sub-resource errors, a full-page screenshot, and axe-core with the WCAG 2.x A/AA tags.
 */
async function checkPage(page, name, { status = 200 } = {}) {
  await page.waitForLoadState('load');
  shotNumber += 1;
  const label = `${String(shotNumber).padStart(2, '0')}-${slug(name)}`;
  const where = `${label} ${new URL(page.url()).pathname}${new URL(page.url()).search}`;
  const title = await page.title();
  const actualStatus = await page.evaluate(
    () => performance.getEntriesByType('navigation')[0]?.responseStatus ?? null,
  );
  log(`page ${where} — "${title}" (HTTP ${actualStatus})`);
  await page.screenshot({ path: path.join(ARTIFACTS, `${label}.png`), fullPage: true });
  if (actualStatus !== status) fail(where, `expected HTTP ${status}, got ${actualStatus}`);
  for (const problem of page.jointly.problems.splice(0)) fail(where, problem);
  page.jointly.expectedStatus = 200;

  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  for (const violation of results.violations) {
    const nodes = violation.nodes
      .map((node) => {
        const summary = (node.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
        return `      - ${node.target.join(' ')}${summary ? `\n        ${summary}` : ''}\n        ${node.html.slice(0, 200)}`;
      })
      .join('\n');
    fail(
      where,
      `axe ${violation.id} (${violation.impact}): ${violation.help}\n      ${violation.helpUrl}\n${nodes}`,
    );
  }
  if (results.violations.length === 0) {
    const review = results.incomplete.map((rule) => rule.id).join(', ');
    log(`  axe: no violations (${results.passes.length} rules passed${review ? `; for review, not failing: ${review}` : ''})`);
  }
  return label;
}

async function expectHeading(page, text) {
  const heading = page.getByRole('heading', { level: 1 });
  const actual = (await heading.first().textContent({ timeout: ACTION_TIMEOUT_MS }))?.trim();
  expect(
    text instanceof RegExp ? text.test(actual ?? '') : actual === text,
    `expected the page heading to be ${text}, found "${actual}" at ${page.url()}`,
  );
}

function expectPath(page, pattern) {
  const url = new URL(page.url());
  const actual = url.pathname + url.search;
  expect(
    pattern instanceof RegExp ? pattern.test(actual) : actual === pattern,
    `expected to be at ${pattern}, but at ${actual}`,
  );
}

async function activeElement(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element
      ? {
          tag: element.tagName.toLowerCase(),
          id: element.id,
          className: typeof element.className === 'string' ? element.className : '',
          text: (element.textContent ?? '').trim().slice(0, 80),
        }
      : null;
  });
}

// ---------------------------------------------------------------------------------------------
// Shared steps

async function staffSignIn(page, email, roleName) {
  await page.goto('/staff/sign-in');
  await expectHeading(page, 'Sign in to the staff workspace');
  await checkPage(page, `staff-sign-in-${roleName}`);
  await page.getByLabel('Work email address').fill(email);
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await navigateBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  expectPath(page, '/staff');
  await expectHeading(page, 'Staff workspace');
}

function mainMenu(page) {
  return page.getByRole('navigation', { name: 'Main menu' });
}

/** The sign-in code messages to `contact` on the coordinator's Messages page, newest first. */
function codeRows(page, contact) {
  return page
    .locator('table tbody tr')
    .filter({ hasText: 'Sign-in code' })
    .filter({ hasText: contact })
    .filter({ hasText: /sign-in code is \d{6}/ });
}

/**
 * Reads the newest sign-in code sent to `contact` from the coordinator's Messages page,
 * waiting until there are more such messages than `before`.
 */
async function readCode(coordinator, contact, before, name) {
  const deadline = Date.now() + 10_000;
  const rows = codeRows(coordinator, contact);
  while ((await rows.count()) <= before) {
    expect(Date.now() < deadline, `no new sign-in code for ${contact} on the Messages page`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await coordinator.reload();
  }
  await checkPage(coordinator, name);
  const text = await rows.first().innerText();
  const match = /sign-in code is (\d{6})/.exec(text);
  expect(match, `no six-digit code in the newest message: ${text}`);
  return match[1];
}

/** Waits (reloading) until Messages shows a `template` message to `contact`; returns its text. */
async function waitForMessage(coordinator, template, contact) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = coordinator.locator('table tbody tr').filter({ hasText: template }).filter({ hasText: contact });
    if ((await rows.count()) > 0) return rows.first().innerText();
    expect(Date.now() < deadline, `Messages shows no "${template}" message to ${contact}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await coordinator.reload();
  }
}

async function openMessages(coordinator) {
  await navigateBy(coordinator, () => mainMenu(coordinator).getByRole('link', { name: 'Messages' }).click());
  expectPath(coordinator, '/staff/outbox');
  await expectHeading(coordinator, 'Messages to patients');
}

/**
 * A patient signs in: the sign-in page, the code page, the code read by the coordinator from
 * Messages, and the portal.
 */
async function patientSignIn(page, coordinator, contact, dob, who) {
  await page.goto('/');
  await checkPage(page, `${who}-home`);
  await navigateBy(page, () =>
    page.getByRole('link', { name: 'Sign in to see your referral and choose an appointment' }).click(),
  );
  expectPath(page, '/sign-in');
  await expectHeading(page, 'Sign in to see your referral');
  await checkPage(page, `${who}-sign-in`);

  const before = await codeRows(coordinator, contact).count();
  await page.getByLabel('Email address or mobile number').fill(contact);
  await page.getByLabel('Day').fill(dob[0]);
  await page.getByLabel('Month').fill(dob[1]);
  await page.getByLabel('Year').fill(dob[2]);
  await navigateBy(page, () => page.getByRole('button', { name: 'Send me a code' }).click());
  await expectHeading(page, 'Enter your code');
  await checkPage(page, `${who}-enter-code`);

  await coordinator.reload();
  const code = await readCode(coordinator, contact, before, `outbox-code-for-${who}`);
  log(`  ${who}'s code from Messages: ${code}`);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await navigateBy(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  expectPath(page, '/portal');
  await checkPage(page, `${who}-portal`);
}

function parseLongDate(text) {
  const match = /(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})/.exec(text);
  expect(match, `no date like "25 November 2026" in "${text}"`);
  const month = MONTHS.indexOf(match[2]) + 1;
  return `${match[3]}-${String(month).padStart(2, '0')}-${match[1].padStart(2, '0')}`;
}

/** Books the first slot offered for the referral shown in `section`; returns the ISO date. */
async function bookFirstSlot(page, section, who) {
  const status = section.locator('.nhsuk-summary-list__row').filter({ hasText: 'Status' });
  expect(
    (await status.innerText()).includes('Ready to book'),
    `the referral is not "Ready to book": ${(await status.innerText()).replace(/\s+/g, ' ')}`,
  );
  const book = section.getByRole('button', { name: /^Book / });
  const offered = await book.count();
  expect(offered > 0, 'no slots offered to book');
  const first = book.first();
  const accessibleName = await first.evaluate((button) => button.textContent.replace(/\s+/g, ' ').trim());
  log(`  ${offered} slots offered; choosing "${accessibleName}"`);
  await navigateBy(page, () => first.click());
  expectPath(page, /^\/portal\/appointments\/[0-9a-f-]+\?booked=1$/);
  await expectHeading(page, 'Appointment booked');
  await checkPage(page, `${who}-appointment-booked`);
  const when = await page
    .locator('.nhsuk-summary-list__row')
    .filter({ hasText: 'When' })
    .locator('dd')
    .innerText();
  const date = parseLongDate(when);
  expect(
    accessibleName.includes(when.split(',')[0].trim()),
    `booked "${when}" but the button chosen was "${accessibleName}"`,
  );
  return { date, when };
}

/** Checks the radio labelled `choice` in the question group named `question`. */
async function answer(page, question, choice) {
  await page.getByRole('group', { name: question, exact: true }).getByRole('radio', { name: choice, exact: true }).check();
}

/** Checks the radio with field `name` and value `value` (for pages not in English). */
async function pick(page, name, value) {
  await page.locator(`input[name="${name}"][value="${value}"]`).check();
}

/** Presses Continue and expects to arrive at `where`, reporting the problems if not. */
async function next(page, where) {
  await navigateBy(page, () => page.locator('button[name="action"][value="continue"]').click());
  if (new URL(page.url()).pathname !== where) {
    const problems = await page.locator('.nhsuk-error-summary').innerText().catch(() => '(no error summary)');
    throw new CheckError(`did not reach ${where} (at ${page.url()}): ${problems.replace(/\s+/g, ' ')}`);
  }
}

/** Presses Continue, expecting `where` with the heading `heading`. */
async function continueTo(page, where, heading) {
  await next(page, where);
  await expectHeading(page, heading);
}

/** Answers every visible question on the page "No" (or "I have no numbness or weakness"). */
async function answerEveryQuestionNo(page) {
  const groups = page.locator('.jointly-question:visible fieldset');
  const count = await groups.count();
  for (let i = 0; i < count; i += 1) {
    const radios = groups.nth(i).locator('input[type="radio"]');
    if ((await radios.count()) === 0 || (await groups.nth(i).locator('input[type="radio"]:checked').count()) > 0) continue;
    // "No" is the safe answer everywhere but one: not being able to stand on the leg.
    const safe = (await radios.first().getAttribute('name')) === 'weight_bearing'
      ? groups.nth(i).locator('input[value="yes"]')
      : groups.nth(i).locator('input[value="no"], input[value="none"]');
    if ((await safe.count()) > 0) await safe.last().check();
    else await radios.first().check();
  }
}

/** Every question has a visible "Listen" button (headless Chromium can speak), which works. */
async function expectListenButtons(page) {
  const questions = await page.locator('.jointly-question:visible').count();
  const buttons = page.locator('.jointly-listen:visible');
  expect(questions > 0 && (await buttons.count()) === questions, `${await buttons.count()} "Listen" buttons for ${questions} questions`);
  await buttons.first().click();
  const spoken = await page.evaluate(() => window.speechSynthesis.speaking || window.speechSynthesis.pending);
  log(`  "Listen" pressed (speaking: ${spoken})`);
}

/** Fills in the person and their contact details on a long form, by label. */
async function fillPerson(page, person) {
  await page.getByLabel('First name').fill(person.given);
  await page.getByLabel('Last name').fill(person.family);
  const dob = page.getByRole('group', { name: 'Date of birth' });
  await dob.getByLabel('Day').fill(person.dob[0]);
  await dob.getByLabel('Month').fill(person.dob[1]);
  await dob.getByLabel('Year').fill(person.dob[2]);
  await answer(page, 'Sex', person.sex);
  await page.getByLabel('Postcode').fill(person.postcode);
  await page.getByLabel('Phone number', { exact: true }).fill(person.phone);
  await answer(page, 'How should we contact you?', 'Text message');
}

/**
 * Answers the questions on a long form: the problem area first (so the script shows only the
 * questions that apply), then "No" or the first answer to the rest, a pain score and the
 * description.
 */
async function fillLongFormQuestions(page, area, description) {
  await answer(page, 'Where is your main problem?', area);
  const applies = async (id) => page.locator(`#group-${id}`).isVisible();
  if (area === 'Knee') {
    expect(await applies('weight_bearing'), 'choosing the knee did not show "Can you stand on that leg?"');
    expect(!(await applies('saddle_numbness')), 'choosing the knee still shows the saddle numbness question');
  }
  await answer(page, 'Which side?', 'Left');
  await answer(page, 'How long have you had this problem?', '3 to 12 months');
  await answer(page, 'Did it start after an injury?', 'No');
  await answerEveryQuestionNo(page);
  await page.getByLabel(/how bad has your pain been/).fill('5');
  await page.getByLabel(/Tell us about your problem/).fill(description);
}

// ---------------------------------------------------------------------------------------------
// The journeys

const state = {};

const journeys = [
  {
    name: 'a. a patient refers themselves',
    async run() {
      const { page } = await newContext('patient');
      state.patientPage = page;
      await page.goto('/');
      await expectHeading(page, 'Get help with muscle, bone and joint problems');
      await checkPage(page, 'home');

      await navigateBy(page, () => page.getByRole('link', { name: 'Refer yourself online' }).click());
      expectPath(page, '/refer');
      await expectHeading(page, 'Refer yourself to the MSK service');
      await checkPage(page, 'refer-start');
      await navigateBy(page, () => page.getByRole('button', { name: 'Start now' }).click());
      expectPath(page, '/refer/step/who');
      await expectHeading(page, 'Who is this referral for?');
      await checkPage(page, 'refer-who');
      await answer(page, 'Are you referring someone else?', 'No');
      await continueTo(page, '/refer/step/about', 'About you');
      await checkPage(page, 'refer-about');

      // Continue with nothing filled in: every problem is listed and linked to its field, and
      // the page answers 422 Unprocessable Content.
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Continue' }).click());
      const summary = page.locator('.nhsuk-error-summary');
      expect(await summary.isVisible(), 'no error summary after continuing with nothing filled in');
      expect(
        (await summary.getByRole('heading').innerText()).trim() === 'There is a problem',
        'the error summary has no "There is a problem" heading',
      );
      expect((await page.title()).startsWith('Error:'), `the title does not start "Error:": ${await page.title()}`);
      const links = summary.getByRole('link');
      const count = await links.count();
      expect(count >= 3, `only ${count} problems listed for an empty step`);
      const listed = [];
      for (let i = 0; i < count; i += 1) {
        const href = await links.nth(i).getAttribute('href');
        const text = (await links.nth(i).innerText()).trim();
        listed.push(`${text} → ${href}`);
        expect(href?.startsWith('#'), `summary link "${text}" is not a link to a field: ${href}`);
        const target = page.locator(`[id="${href.slice(1)}"]`);
        expect((await target.count()) === 1, `summary link "${text}" points to ${href}, which is not on the page`);
        const focusable = await target.evaluate(
          (element) => element.matches('input, select, textarea, button, [tabindex]'),
        );
        expect(focusable, `summary link "${text}" points to ${href}, which cannot take focus`);
        const errorId = `${href.slice(1).replace(/-(day|month|year)$/, '')}-error`;
        expect(
          (await page.locator(`[id="${errorId}"]`).count()) === 1,
          `no error message #${errorId} next to the field for "${text}"`,
        );
      }
      log(`  ${count} problems listed: ${listed.join('; ')}`);
      for (const expected of ['Enter your first name', 'Enter your last name', 'Enter your date of birth']) {
        expect(listed.some((line) => line.startsWith(expected)), `the summary does not say "${expected}"`);
      }
      await checkPage(page, 'refer-about-errors', { status: 422 });

      // Keyboard: focus the first summary link and press Enter; focus moves to that field.
      const firstHref = await links.first().getAttribute('href');
      expect(firstHref === '#given_name', `the first problem should be the first field (#given_name), is ${firstHref}`);
      await links.first().focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => location.hash === '#given_name');
      const focused = await activeElement(page);
      expect(
        focused?.id === 'given_name',
        `Enter on the first summary link left focus on ${JSON.stringify(focused)}, not the first-name field`,
      );
      await page.keyboard.type(NEW_PATIENT.given);

      // Now fill it in properly, by label.
      await page.getByLabel('Last name').fill(NEW_PATIENT.family);
      const dob = page.getByRole('group', { name: 'Date of birth' });
      await dob.getByLabel('Day').fill(NEW_PATIENT.dob[0]);
      await dob.getByLabel('Month').fill(NEW_PATIENT.dob[1]);
      await dob.getByLabel('Year').fill(NEW_PATIENT.dob[2]);
      await answer(page, 'Sex', 'Female');
      await continueTo(page, '/refer/step/contact', 'How to contact you');
      await checkPage(page, 'refer-contact');
      await page.getByLabel('Postcode').fill(NEW_PATIENT.postcode);
      await page.getByLabel('Phone number').fill(NEW_PATIENT.phone);
      await page.getByLabel('Email address').fill(NEW_PATIENT.email);
      await page.getByLabel('Address line 1').fill(NEW_PATIENT.address);
      await page.getByLabel('Town or city').fill(NEW_PATIENT.town);
      await answer(page, 'How should we contact you?', 'Email');
      await page.getByLabel('Language you prefer').selectOption({ label: 'English' });
      await continueTo(page, '/refer/step/problem', 'Your problem');
      await checkPage(page, 'refer-problem');

      await answer(page, 'Where is your main problem?', 'Back');
      await answer(page, 'Which side?', 'Not on one side (for example the middle of the back)');
      await answer(page, 'How long have you had this problem?', '6 to 12 weeks');
      await answer(page, 'Did it start after an injury?', 'Yes, a minor one (for example a fall from standing or a twist)');
      await continueTo(page, '/refer/step/safety', 'Important safety questions');
      // The safety questions are the ones that matter for a back: saddle numbness is asked,
      // a question only for hips, knees and feet is not.
      expect(
        (await page.getByRole('group', { name: /numbness or tingling around your bottom/ }).count()) === 1,
        'the back pain safety step does not ask about saddle numbness',
      );
      expect(
        (await page.getByRole('group', { name: /stand on that leg and take four steps/ }).count()) === 0,
        'the back pain safety step asks a question meant for legs and feet',
      );
      await expectListenButtons(page);
      await checkPage(page, 'refer-safety');
      await answerEveryQuestionNo(page);
      await continueTo(page, '/refer/step/impact', 'How it affects you');
      await checkPage(page, 'refer-impact');
      await page.getByLabel(/how bad has your pain been/).fill('6');
      await answer(page, 'How much does it stop you doing everyday things?', 'Quite a lot');
      await answer(page, 'How much does it affect your sleep?', 'Quite a lot');
      await answer(page, 'How much does it affect your work, caring or studying?', 'A little');
      await answer(page, 'How much has it made you feel low or anxious?', 'A little');
      await answer(page, 'How worried are you that it means something serious is wrong?', 'A little');
      await answer(page, 'How confident are you that you can manage it with the right advice?', 'Fairly confident');
      await continueTo(page, '/refer/step/more', 'In your own words');
      await checkPage(page, 'refer-more');
      await page.getByLabel(/Tell us about your problem/).fill(NEW_PATIENT.description);
      await page.getByLabel(/What would you most like to be able to do again/).fill('Play with my grandchildren');
      await continueTo(page, '/refer/check', 'Check your answers before sending');
      const check = await page.locator('main').innerText();
      for (const shown of [NEW_PATIENT.description, `${NEW_PATIENT.given} ${NEW_PATIENT.family}`, NEW_PATIENT.email]) {
        expect(check.includes(shown), `"Check your answers" does not show "${shown}"`);
      }
      await checkPage(page, 'refer-check');
      await navigateBy(page, () => page.getByRole('button', { name: 'Send referral' }).click());

      expectPath(page, '/refer/submitted');
      await expectHeading(page, 'Referral sent');
      const reference = (await page.locator('.jointly-code').innerText()).trim();
      expect(/^JNT-[A-Z0-9]+-[A-Z0-9]$/.test(reference), `the reference "${reference}" is not like JNT-XXXXXXX-X`);
      state.reference = reference;
      const receipt = await page.locator('main').innerText();
      expect(/between \d+ and \d+ weeks/.test(receipt), 'the confirmation gives no expected wait as a range');
      expect(receipt.includes('Looking after yourself while you wait: Back'), 'the confirmation has no self-help while waiting');
      log(`  referral sent: ${reference}`);
      await checkPage(page, 'refer-submitted');
    },
  },
  {
    name: 'g. keyboard only: the skip link on the self-referral page',
    async run() {
      const { page } = await newContext('keyboard');
      await page.goto('/refer');
      await page.keyboard.press('Tab');
      let focused = await activeElement(page);
      expect(
        focused?.className.includes('nhsuk-skip-link') && focused.text === 'Skip to main content',
        `the first Tab reached ${JSON.stringify(focused)}, not the skip link`,
      );
      const skip = page.locator('.nhsuk-skip-link');
      const box = await skip.boundingBox();
      expect(box && box.width > 1 && box.height > 1, 'the focused skip link is not visible');
      shotNumber += 1;
      await page.screenshot({
        path: path.join(ARTIFACTS, `${String(shotNumber).padStart(2, '0')}-refer-skip-link-focused.png`),
      });
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main-content', null, { timeout: 2000 }).catch(() => {});
      focused = await activeElement(page);
      expect(
        focused?.tag === 'main' && focused.id === 'main-content',
        `Enter on the skip link moved focus to ${JSON.stringify(focused)}, not <main>`,
      );
      await page.keyboard.press('Tab');
      focused = await activeElement(page);
      expect(
        focused?.tag === 'button' && focused.text === 'Start now',
        `Tab after skipping reached ${JSON.stringify(focused)}, not the "Start now" button`,
      );
      // Enter on it starts a referral.
      await navigateBy(page, () => page.keyboard.press('Enter'));
      expectPath(page, '/refer/step/who');
      await checkPage(page, 'refer-after-keyboard');
      await page.context().close();
    },
  },
  {
    name: 'b. the triage clinician accepts the referral',
    needs: ['a. a patient refers themselves'],
    async run() {
      const { page } = await newContext('triage');
      await staffSignIn(page, STAFF.triage, 'triage');
      await checkPage(page, 'staff-workspace-triage');

      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Triage queue' }).click());
      expectPath(page, '/staff/triage');
      await expectHeading(page, 'Triage queue');
      await checkPage(page, 'triage-queue');

      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: state.reference, exact: true }) });
      expect((await row.count()) === 1, `the triage queue has no row for ${state.reference}`);
      expect(
        (await row.innerText()).includes(`${NEW_PATIENT.given} ${NEW_PATIENT.family}`),
        `the row for ${state.reference} does not name ${NEW_PATIENT.given} ${NEW_PATIENT.family}`,
      );
      await navigateBy(page, () => row.getByRole('link', { name: state.reference, exact: true }).click());
      expectPath(page, /^\/staff\/referrals\/[0-9a-f-]+$/);
      await expectHeading(page, `${NEW_PATIENT.given} ${NEW_PATIENT.family}`);
      expect(
        (await page.locator('main').innerText()).includes(NEW_PATIENT.description),
        'the referral page does not show the patient\'s own words',
      );
      await checkPage(page, 'referral');

      // The pathway's suggestion is chosen already, and says so.
      const suggested = page.getByRole('radio', { name: 'Community Physiotherapy (suggested)', exact: true });
      expect(await suggested.isChecked(), 'the suggested service is not chosen already');
      await page.getByRole('radio', { name: 'Routine', exact: true }).check();
      await page.getByLabel('Reasoning').fill('Mechanical low back pain, no red flags. Routine physiotherapy.');
      await navigateBy(page, () => page.getByRole('button', { name: 'Accept referral' }).click());
      expectPath(page, '/staff/triage');
      await expectHeading(page, 'Triage queue');
      expect(
        (await page.getByRole('link', { name: state.reference, exact: true }).count()) === 0,
        `${state.reference} is still in the triage queue after it was accepted`,
      );
      await checkPage(page, 'triage-queue-after-accept');
      await page.context().close();
    },
  },
  {
    name: 'c. the patient signs in with a code and books',
    needs: ['b. the triage clinician accepts the referral'],
    async run() {
      const { page: coordinator } = await newContext('coordinator');
      state.coordinator = coordinator;
      await staffSignIn(coordinator, STAFF.coordinator, 'coordinator');
      await checkPage(coordinator, 'staff-workspace-coordinator');
      await openMessages(coordinator);
      await checkPage(coordinator, 'outbox');

      const { page } = await newContext('patient-portal');
      await patientSignIn(page, coordinator, NEW_PATIENT.email, NEW_PATIENT.dob, 'patient');
      await expectHeading(page, `Hello ${NEW_PATIENT.given}`);
      const section = page.locator('section').filter({ hasText: state.reference });
      expect((await section.count()) === 1, `the portal does not show referral ${state.reference}`);
      const booked = await bookFirstSlot(page, section, 'patient');
      state.appointment = booked;
      log(`  booked for ${booked.when} (${booked.date})`);

      await navigateBy(page, () => page.getByRole('link', { name: 'Back to your referrals' }).click());
      expectPath(page, '/portal');
      const appointments = page.getByRole('link', { name: new RegExp(booked.when.split(',')[0]) });
      expect((await appointments.count()) >= 1, `the portal does not list the appointment on ${booked.when}`);
      expect(
        (await section.innerText()).includes('Appointment booked'),
        'the referral is not "Appointment booked" after booking',
      );
      await checkPage(page, 'patient-portal-after-booking');
      await navigateBy(page, () => appointments.first().click());
      expectPath(page, /^\/portal\/appointments\/[0-9a-f-]+$/);
      await expectHeading(page, 'Your appointment');
      await checkPage(page, 'patient-appointment');
      state.patientPortal = page;

      // The coordinator's Messages show what the patient was sent along the way.
      await coordinator.reload();
      const received = await waitForMessage(coordinator, 'Referral received', NEW_PATIENT.email);
      expect(received.includes(state.reference), `the "Referral received" message does not quote ${state.reference}`);
      const accepted = await waitForMessage(coordinator, 'Referral accepted', NEW_PATIENT.email);
      expect(accepted.includes('Community Physiotherapy'), 'the "Referral accepted" message does not name the service');
      const confirmation = await waitForMessage(coordinator, 'Appointment booked', NEW_PATIENT.email);
      expect(
        confirmation.includes(booked.when.split(',')[0].trim()),
        `the booking confirmation does not give the date ${booked.when}: ${confirmation.replace(/\s+/g, ' ')}`,
      );
      await checkPage(coordinator, 'outbox-booking-confirmation');

      // The confirmation's link lets the patient say they are coming, without signing in.
      const link = /\/a\/([A-Za-z0-9_-]{43})/.exec(confirmation);
      expect(link, `the booking confirmation has no confirm-or-cancel link: ${confirmation.replace(/\s+/g, ' ')}`);
      const { page: fromMessage } = await newContext('appointment-link');
      await fromMessage.goto(link[0]);
      await expectHeading(fromMessage, 'Your appointment');
      await checkPage(fromMessage, 'appointment-link');
      await navigateBy(fromMessage, () => fromMessage.getByRole('button', { name: 'I am coming' }).click());
      expectPath(fromMessage, /^\/a\/[A-Za-z0-9_-]{43}\?done=confirmed$/);
      await expectHeading(fromMessage, 'Thank you for telling us you are coming');
      await checkPage(fromMessage, 'appointment-link-confirmed');
      await navigateBy(fromMessage, () => fromMessage.getByRole('link', { name: 'Cancel this appointment' }).click());
      await expectHeading(fromMessage, 'Cancel this appointment?');
      await checkPage(fromMessage, 'appointment-link-cancel');
      // Kept: the clinic day journeys use this appointment.
      await fromMessage.context().close();
    },
  },
  {
    name: 'd. the physiotherapist sees the appointment on the clinic list',
    needs: ['c. the patient signs in with a code and books'],
    async run() {
      const { page } = await newContext('physio');
      await staffSignIn(page, STAFF.physio, 'physio');
      await checkPage(page, 'staff-workspace-physio');
      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Clinic lists' }).click());
      expectPath(page, /^\/staff\/clinics/);
      await checkPage(page, 'clinic-list-today');

      await page.getByLabel('Date', { exact: true }).fill(state.appointment.date);
      await navigateBy(page, () => page.getByRole('button', { name: 'Show clinics' }).click());
      expectPath(page, new RegExp(`^/staff/clinics\\?date=${state.appointment.date}(&|$)`));
      await expectHeading(page, /^Clinic list for /);
      const row = page.getByRole('row').filter({ hasText: state.reference });
      expect((await row.count()) === 1, `the clinic list for ${state.appointment.date} has no row for ${state.reference}`);
      expect(
        (await row.innerText()).includes(`${NEW_PATIENT.given} ${NEW_PATIENT.family}`),
        `the clinic list row for ${state.reference} does not name the patient`,
      );
      expect(
        (await row.innerText()).includes('Said they are coming'),
        `the clinic list row for ${state.reference} does not show that the patient confirmed`,
      );
      await checkPage(page, 'clinic-list-appointment-day');
      state.physio = page;
    },
  },
  {
    name: 'd2. the clinic day: arrived, seen and discharged, running late',
    async run() {
      const { page } = await newContext('clinic-day');
      await staffSignIn(page, STAFF.physio, 'physio');
      await page.goto('/staff/clinics');
      const clinician = page.getByLabel('Clinician', { exact: true });
      const options = await clinician.locator('option').allInnerTexts();
      expect(options.length >= 2, `no clinician with a clinic today: ${options.join(', ')}`);
      await clinician.selectOption({ index: 1 });
      await navigateBy(page, () => page.getByRole('button', { name: 'Show clinics' }).click());
      await expectHeading(page, /^Clinic for /);
      await checkPage(page, 'clinic-day-one-clinician');

      const arrived = page.getByRole('button', { name: /^Arrived: / }).first();
      const label = await arrived.getAttribute('aria-label');
      const who = label.replace(/^Arrived: /, '');
      await navigateBy(page, () => arrived.click());
      expect((await page.getByText('Checked in.').count()) === 1, 'no "Checked in." notice');
      await checkPage(page, 'clinic-day-checked-in');
      await navigateBy(page, () => page.getByRole('button', { name: `Seen, discharge: ${who}` }).click());
      expect(
        (await page.getByText('Recorded as seen and discharged').count()) === 1,
        'no notice that the patient was seen and discharged',
      );
      const row = page.getByRole('row').filter({ hasText: who.split(',')[0] }).first();
      expect((await row.innerText()).includes('Attended'), `the row for ${who} does not say Attended`);
      await checkPage(page, 'clinic-day-discharged');

      await page.getByText('Running late? Tell the patients still to be seen today').click();
      await page.getByLabel('About how many minutes late?').fill('a while');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Tell the patients' }).click());
      expect((await page.locator('.nhsuk-error-summary').count()) === 1, 'no error summary for "a while"');
      await checkPage(page, 'clinic-day-late-error', { status: 422 });
      await page.getByLabel('About how many minutes late?').fill('20');
      await navigateBy(page, () => page.getByRole('button', { name: 'Tell the patients' }).click());
      expect(
        (await page.getByText(/have been told|has been told|no one was told/).count()) === 1,
        'no notice after the running-late message',
      );
      await checkPage(page, 'clinic-day-late-sent');
      await page.context().close();
    },
  },
  {
    name: 'e. Amelia Khan (the demo patient) signs in and books',
    async run() {
      let coordinator = state.coordinator;
      if (!coordinator) {
        ({ page: coordinator } = await newContext('coordinator'));
        await staffSignIn(coordinator, STAFF.coordinator, 'coordinator');
        await checkPage(coordinator, 'staff-workspace-coordinator');
        await openMessages(coordinator);
      }
      const { page } = await newContext('amelia');
      await patientSignIn(page, coordinator, AMELIA.email, AMELIA.dob, 'amelia');
      await expectHeading(page, `Hello ${AMELIA.given}`);
      const ready = page.locator('section').filter({ hasText: 'Ready to book' });
      expect((await ready.count()) >= 1, 'Amelia has no referral ready to book');
      const booked = await bookFirstSlot(page, ready.first(), 'amelia');
      log(`  Amelia booked for ${booked.when}`);
      await page.context().close();

      // The physiotherapist sees Amelia on that day's clinic list too, and if she was booked
      // into the same hour as the patient from (a), not with the same clinician in the same place.
      let physio = state.physio;
      if (!physio) {
        ({ page: physio } = await newContext('physio'));
        await staffSignIn(physio, STAFF.physio, 'physio');
        await checkPage(physio, 'staff-workspace-physio');
      }
      await physio.goto(`/staff/clinics?date=${booked.date}`);
      const amelia = physio.getByRole('row').filter({ hasText: AMELIA.name });
      expect((await amelia.count()) >= 1, `the clinic list for ${booked.date} does not show ${AMELIA.name}`);
      await checkPage(physio, 'clinic-list-amelia-day');
      if (state.appointment?.date === booked.date) {
        // Time, place and clinician: the columns that say which slot it is.
        const cells = async (row) => {
          const all = await row.locator('td').allInnerTexts();
          return [all[0], all[3], all[4]].join(' | ');
        };
        const ruth = physio.getByRole('row').filter({ hasText: state.reference });
        const ruthSlot = await cells(ruth);
        for (const slot of await Promise.all((await amelia.all()).map(cells))) {
          expect(slot !== ruthSlot, `double booking: ${AMELIA.name} and ${state.reference} share ${slot}`);
        }
      }
    },
  },
  {
    name: 'f. language: Urdu, right to left, and back to English',
    async run() {
      const { page } = await newContext('language');
      await page.goto('/');
      await checkPage(page, 'home-before-language');
      const switcher = page.getByRole('navigation', { name: 'Choose a language' });
      expect((await switcher.getByRole('link', { name: 'Polski' }).count()) === 1, 'no "Polski" in the language switcher');
      await navigateBy(page, () => switcher.getByRole('link', { name: 'اردو' }).click());
      const html = page.locator('html');
      expect((await html.getAttribute('lang')) === 'ur', `html lang is ${await html.getAttribute('lang')}, not ur`);
      expect((await html.getAttribute('dir')) === 'rtl', `html dir is ${await html.getAttribute('dir')}, not rtl`);
      expect(
        (await page.locator('html[dir="rtl"][lang="ur"]').count()) === 1,
        'no <html lang="ur" dir="rtl">',
      );
      await checkPage(page, 'home-urdu');

      const english = page.getByRole('navigation', { name: /.+/ }).getByRole('link', { name: 'English', exact: true });
      expect((await english.count()) === 1, 'the Urdu page has no "English" link in the language switcher');
      await navigateBy(page, () => english.click());
      expect((await html.getAttribute('lang')) === 'en', `html lang is ${await html.getAttribute('lang')} after choosing English`);
      expect((await html.getAttribute('dir')) === 'ltr', `html dir is ${await html.getAttribute('dir')} after choosing English`);
      await expectHeading(page, 'Get help with muscle, bone and joint problems');
      await checkPage(page, 'home-english-again');
      await page.context().close();
    },
  },
  {
    name: 'i. in Urdu, a red flag: go to A&E now, and the on-duty clinician is alerted',
    async run() {
      const { page } = await newContext('urdu');
      await page.goto('/refer');
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Choose a language' }).getByRole('link', { name: 'اردو' }).click());
      expect((await page.locator('html[lang="ur"][dir="rtl"]').count()) === 1, 'the page is not <html lang="ur" dir="rtl">');
      await checkPage(page, 'urdu-refer-start');
      await navigateBy(page, () => page.locator('form[action="/refer/start"] button').click());
      expectPath(page, '/refer/step/who');
      await checkPage(page, 'urdu-refer-who');
      // The labels are in Urdu, so this journey answers by field name.
      await pick(page, 'for_someone_else', 'no');
      await next(page, '/refer/step/about');
      await checkPage(page, 'urdu-refer-about');
      await page.locator('#given_name').fill(URDU_PATIENT.given);
      await page.locator('#family_name').fill(URDU_PATIENT.family);
      await page.locator('#date_of_birth-day').fill(URDU_PATIENT.dob[0]);
      await page.locator('#date_of_birth-month').fill(URDU_PATIENT.dob[1]);
      await page.locator('#date_of_birth-year').fill(URDU_PATIENT.dob[2]);
      await pick(page, 'sex', 'male');
      await next(page, '/refer/step/contact');
      await page.locator('#postcode').fill(URDU_PATIENT.postcode);
      await page.locator('#phone').fill(URDU_PATIENT.phone);
      await pick(page, 'preferred_contact', 'sms');
      await page.locator('#preferred_language').selectOption('ur');
      await next(page, '/refer/step/problem');
      await checkPage(page, 'urdu-refer-problem');
      await pick(page, 'area', 'back');
      await pick(page, 'side', 'not_applicable');
      await pick(page, 'duration', 'under_2_weeks');
      await pick(page, 'injury', 'no');
      await next(page, '/refer/step/safety');
      await expectListenButtons(page);
      await checkPage(page, 'urdu-refer-safety');
      await answerEveryQuestionNo(page);
      await pick(page, 'saddle_numbness', 'yes');
      // A red flag sends the referral at once: no more questions before the advice.
      await next(page, '/refer/submitted');
      expect(
        (await page.locator('.nhsuk-care-card--immediate').count()) === 1,
        'a red flag did not give the "go to A&E now or call 999" care card',
      );
      state.urduReference = (await page.locator('.jointly-code').innerText()).trim();
      log(`  emergency referral: ${state.urduReference}`);
      await checkPage(page, 'urdu-refer-emergency');
      await page.context().close();

      const { page: triage } = await newContext('triage-on-duty');
      await staffSignIn(triage, STAFF.triage, 'triage-on-duty');
      const alert = triage.locator('.jointly-alert');
      expect((await alert.count()) === 1, 'the on-duty clinician sees no emergency alert');
      await navigateBy(triage, () => alert.getByRole('link').click());
      expectPath(triage, '/staff/tasks');
      await expectHeading(triage, 'Tasks');
      const task = triage.locator('li, section, article, tr').filter({ hasText: `${URDU_PATIENT.given} ${URDU_PATIENT.family}` }).last();
      expect((await task.count()) === 1, `no task for ${URDU_PATIENT.given} ${URDU_PATIENT.family}`);
      await checkPage(triage, 'tasks-emergency');
      // Imran also has a communication-needs task (Urdu): act on the emergency review only.
      const emergencyForms = () =>
        triage
          .getByRole('region', { name: /^Emergency review/ })
          .locator('form')
          .filter({ hasText: `${URDU_PATIENT.given} ${URDU_PATIENT.family}` });
      const form = emergencyForms();
      await form.getByLabel('What you did').fill('Phoned with an Urdu interpreter; advised A&E now. Patient on the way.');
      await navigateBy(triage, () => form.getByRole('button', { name: /Mark as done/ }).click());
      expectPath(triage, /^\/staff\/tasks/);
      expect(
        (await emergencyForms().count()) === 0,
        'the emergency review is still open after it was done',
      );
      await checkPage(triage, 'tasks-after-done');
      await triage.context().close();
    },
  },
  {
    name: 'j. easy read: a carer starts, saves, and comes back with the code',
    async run() {
      const { page } = await newContext('easy-read');
      await page.goto('/refer');
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Choose a language' }).getByRole('link', { name: 'Easy read' }).click());
      expect((await page.locator('html').getAttribute('lang')) === 'en-x-easyread', 'the page is not in easy read');
      await checkPage(page, 'easy-refer-start');
      await navigateBy(page, () => page.locator('form[action="/refer/start"] button').click());
      await checkPage(page, 'easy-refer-who');
      await pick(page, 'for_someone_else', 'yes');
      await next(page, '/refer/step/carer');
      await checkPage(page, 'easy-refer-carer');
      await page.locator('#carer_name').fill('Sam Okafor');
      await pick(page, 'carer_relationship', 'family');
      await page.locator('#carer_phone').fill('07700 900123');
      await pick(page, 'carer_consent', 'yes');
      await next(page, '/refer/step/about');
      await page.locator('#given_name').fill(CARED_FOR.given);
      await page.locator('#family_name').fill(CARED_FOR.family);
      await page.locator('#date_of_birth-day').fill(CARED_FOR.dob[0]);
      await page.locator('#date_of_birth-month').fill(CARED_FOR.dob[1]);
      await page.locator('#date_of_birth-year').fill(CARED_FOR.dob[2]);
      await pick(page, 'sex', 'female');
      await navigateBy(page, () => page.locator('button[value="save"]').click());
      expectPath(page, '/refer/save');
      await checkPage(page, 'easy-refer-saved');
      const code = (await page.locator('.jointly-code').innerText()).trim();
      expect(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/.test(code), `the save code "${code}" is not like ABCD-2345`);
      const link = await page.locator('.jointly-break a').getAttribute('href');
      expect(/\/refer\/resume\/[A-Za-z0-9_-]+$/.test(link ?? ''), `the resume link "${link}" is not a /refer/resume link`);
      await page.context().close();

      // Another browser, another day: the code and the date of birth bring the draft back.
      const { page: later } = await newContext('easy-read-later');
      await later.goto('/refer/resume');
      await checkPage(later, 'refer-resume');
      later.jointly.expectedStatus = 422;
      await later.getByLabel('Code').fill(code);
      await later.getByLabel('Day').fill('1');
      await later.getByLabel('Month').fill('1');
      await later.getByLabel('Year').fill('1950');
      await navigateBy(later, () => later.getByRole('button', { name: 'Continue' }).click());
      expect(await later.locator('.nhsuk-error-summary').isVisible(), 'a wrong date of birth opened the draft');
      await checkPage(later, 'refer-resume-wrong-date', { status: 422 });
      await later.getByLabel('Day').fill(CARED_FOR.dob[0]);
      await later.getByLabel('Month').fill(CARED_FOR.dob[1]);
      await later.getByLabel('Year').fill(CARED_FOR.dob[2]);
      await navigateBy(later, () => later.getByRole('button', { name: 'Continue' }).click());
      expectPath(later, '/refer/step/contact');
      await expectHeading(later, 'How to contact them');
      await checkPage(later, 'refer-resumed-at-contact');
      await later.context().close();
    },
  },
  {
    name: 'k. a GP refers a patient with the professional form',
    async run() {
      const { page } = await newContext('gp');
      await page.goto('/refer');
      await navigateBy(page, () => page.getByRole('link', { name: 'Health and care professionals: refer a patient' }).click());
      expectPath(page, '/refer/professional');
      await expectHeading(page, 'Refer a patient to the MSK service');
      await checkPage(page, 'professional-form');
      await page.getByLabel("Your organisation's ODS code").fill('X99999');
      await page.getByLabel('Your name').fill('Dr Priya Shah');
      await answer(page, 'Your role', 'GP');
      await page.getByLabel('Your work email address').fill('priya.shah@nhs.example');
      await fillPerson(page, GP_PATIENT);
      await fillLongFormQuestions(page, 'Knee', 'Left knee pain for 4 months, worse on stairs. No trauma. Please assess.');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Send referral' }).click());
      const summary = page.locator('.nhsuk-error-summary');
      expect(await summary.isVisible(), 'an unknown ODS code was accepted');
      expect(
        (await summary.locator('a[href="#ods_code"]').count()) === 1,
        `the error summary does not name the ODS code: ${(await summary.innerText()).replace(/\s+/g, ' ')}`,
      );
      await checkPage(page, 'professional-form-unknown-ods', { status: 422 });
      await page.getByLabel("Your organisation's ODS code").fill('Y01234');
      await navigateBy(page, () => page.getByRole('button', { name: 'Send referral' }).click());
      if (new URL(page.url()).pathname !== '/refer/submitted') {
        const problems = await page.locator('.nhsuk-error-summary').innerText().catch(() => '(no error summary)');
        throw new CheckError(`the professional referral was not sent: ${problems.replace(/\s+/g, ' ')}`);
      }
      await expectHeading(page, 'Referral sent');
      await checkPage(page, 'professional-submitted');
      await page.context().close();
    },
  },
  {
    name: 'l. the coordinator takes a referral by phone',
    async run() {
      const { page } = await newContext('phone');
      await staffSignIn(page, STAFF.coordinator, 'coordinator-phone');
      await page.goto('/staff/refer');
      await expectHeading(page, /referral by phone/i);
      await checkPage(page, 'phone-form');
      await answer(page, 'Is the caller referring someone else?', 'No');
      await fillPerson(page, PHONE_PATIENT);
      await fillLongFormQuestions(page, 'Shoulder', 'Caller says right shoulder pain for 2 months after painting a ceiling. Cannot lift arm above head.');
      await navigateBy(page, () => page.getByRole('button', { name: 'Send referral' }).click());
      if (new URL(page.url()).pathname !== '/refer/submitted') {
        const problems = await page.locator('.nhsuk-error-summary').innerText().catch(() => '(no error summary)');
        throw new CheckError(`the phone referral was not sent: ${problems.replace(/\s+/g, ' ')}`);
      }
      expect(
        (await page.locator('main').innerText()).includes('Read this page to the caller'),
        'the phone confirmation does not tell the coordinator to read it out',
      );
      await checkPage(page, 'phone-submitted');

      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Waiting lists' }).click());
      expectPath(page, '/staff/waiting');
      await expectHeading(page, 'Waiting lists');
      const waiting = await page.locator('main').innerText();
      expect(/People waiting\s+\d+/.test(waiting), 'the waiting lists page gives no number waiting');
      await checkPage(page, 'waiting-lists');
      await page.context().close();
    },
  },
  {
    name: 'm. the patient moves the appointment to an evening near home, then cancels and books again',
    needs: ['d. the physiotherapist sees the appointment on the clinic list'],
    async run() {
      const page = state.patientPortal;
      await navigateBy(page, () => page.getByRole('link', { name: 'Change the time' }).click());
      expectPath(page, /^\/portal\/appointments\/[0-9a-f-]+\/change$/);
      await expectHeading(page, 'Change your appointment');
      expect(
        (await page.locator('main').innerText()).includes('Your appointment now'),
        'the change page does not say which appointment is being moved',
      );
      await checkPage(page, 'patient-change');

      // Bad dates are named and linked, and nothing is searched.
      page.jointly.expectedStatus = 422;
      await page.getByLabel('From', { exact: true }).fill('2020-01-01');
      await navigateBy(page, () => page.getByRole('button', { name: 'Search' }).click());
      const summary = page.locator('.nhsuk-error-summary');
      expect(await summary.isVisible(), 'a date in the past was accepted');
      expect(
        (await page.locator('main').innerText()).includes('Your appointment now'),
        'the appointment being moved is not shown with the errors',
      );
      await checkPage(page, 'patient-change-errors', { status: 422 });
      await page.getByLabel('From', { exact: true }).fill('');

      await page.getByRole('checkbox', { name: 'In person' }).check();
      await page.getByRole('checkbox', { name: 'Evening' }).check();
      await page.getByRole('checkbox', { name: 'Weekend' }).check();
      await page.getByRole('radio', { name: 'The nearest' }).check();
      await navigateBy(page, () => page.getByRole('button', { name: 'Search' }).click());
      await checkPage(page, 'patient-change-evening-weekend');
      const results = page.locator('.nhsuk-slot-list > li');
      const count = await results.count();
      expect(count > 0, 'no evening or weekend clinics found in the demo');
      const first = (await results.first().innerText()).replace(/\s+/g, ' ');
      expect(/km away/.test(first), `the nearest result gives no distance: ${first}`);
      const when = /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)[^,]*, (\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)/i.exec(first);
      log(`  ${count} evening or weekend choices; nearest: ${first}`);
      expect(when, `cannot read the day and time of "${first}"`);
      const weekend = /Saturday|Sunday/.test(when[1]);
      const hour = Number(when[2]) % 12 + (/pm/i.test(when[4] ?? '') ? 12 : 0);
      expect(weekend || hour >= 17, `"${first}" is neither an evening nor a weekend`);
      await navigateBy(page, () => results.first().getByRole('button', { name: /^Move to this time / }).click());
      expectPath(page, /^\/portal\/appointments\/[0-9a-f-]+\?changed=1$/);
      await expectHeading(page, 'Appointment changed');
      await checkPage(page, 'patient-changed');

      // The time given up went to the cancellation list, and she was told of the change once.
      const coordinator = state.coordinator;
      if (coordinator) {
        await coordinator.reload();
        const offered = coordinator.locator('table tbody tr').filter({ hasText: 'Earlier appointment offered' });
        expect((await offered.count()) >= 1, 'the freed slot was not offered to anyone waiting');
        log(`  the freed time was offered to ${await offered.count()} people waiting`);
        const changed = coordinator.locator('table tbody tr').filter({ hasText: 'Appointment changed' });
        expect((await changed.count()) === 1, 'no single "appointment changed" message');
        await checkPage(coordinator, 'outbox-earlier-appointment-offered');
      }

      // Cancelling asks first, then offers the times to choose again.
      await navigateBy(page, () => page.getByRole('link', { name: 'Cancel this appointment' }).click());
      expectPath(page, /^\/portal\/appointments\/[0-9a-f-]+\/cancel$/);
      await expectHeading(page, 'Cancel this appointment?');
      await checkPage(page, 'patient-cancel-confirm');
      await navigateBy(page, () => page.getByRole('button', { name: 'Yes, cancel it' }).click());
      expectPath(page, /^\/portal\/referrals\/[0-9a-f-]+\/choose\?cancelled=1$/);
      await expectHeading(page, 'Choose an appointment');
      expect(
        (await page.locator('main').innerText()).includes('Your appointment is cancelled'),
        'no word that the appointment was cancelled',
      );
      await checkPage(page, 'patient-choose-after-cancel');
      const again = page.locator('.nhsuk-slot-list > li');
      expect((await again.count()) > 0, 'no times to choose from after cancelling');
      await navigateBy(page, () => again.first().getByRole('button', { name: /^Book / }).click());
      expectPath(page, /^\/portal\/appointments\/[0-9a-f-]+\?booked=1$/);
      await expectHeading(page, 'Appointment booked');
      await checkPage(page, 'patient-rebooked');
    },
  },
  {
    name: 'n. the coordinator adds a Saturday session to a rota',
    async run() {
      const { page } = await newContext('rotas');
      await staffSignIn(page, STAFF.coordinator, 'coordinator-rotas');
      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Rotas' }).click());
      expectPath(page, '/staff/rotas');
      await expectHeading(page, 'Rotas');
      expect((await page.getByRole('row').count()) > 10, 'the demo rota has no sessions');
      await checkPage(page, 'rotas');

      await page.getByText('Add a session').click();
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Add the session' }).click());
      expect((await page.locator('.nhsuk-error-summary li').count()) >= 5, 'an empty session is not refused field by field');
      await checkPage(page, 'rotas-session-errors', { status: 422 });

      await page.getByLabel('Clinician', { exact: true }).selectOption({ index: 1 });
      await page.getByLabel('Where', { exact: true }).selectOption({ index: 1 });
      await page.getByLabel('Day of the week').selectOption('saturday');
      await page.getByLabel('Starts').fill('13:00');
      await page.getByLabel('Ends', { exact: true }).fill('16:00');
      await page.getByLabel('Appointments', { exact: true }).selectOption('follow_up');
      await page.getByLabel('Minutes per appointment').fill('30');
      await navigateBy(page, () => page.getByRole('button', { name: 'Add the session' }).click());
      expect((await page.getByText('Session added').count()) === 1, 'no notice that the session was added');
      await checkPage(page, 'rotas-session-added');
      await page.context().close();
    },
  },
  {
    name: 'o. classes: Amelia books a place in a class; the physiotherapist opens the register',
    async run() {
      const { page: coordinator } = await newContext('classes-coordinator');
      await staffSignIn(coordinator, STAFF.coordinator, 'coordinator-classes');
      await openMessages(coordinator);
      const { page } = await newContext('amelia-classes');
      await patientSignIn(page, coordinator, AMELIA.email, AMELIA.dob, 'amelia-classes');
      await navigateBy(page, () => page.getByRole('link', { name: 'Classes and courses you can join' }).click());
      await expectHeading(page, 'Classes and courses');
      await checkPage(page, 'portal-classes');
      const book = page.getByRole('button', { name: /^Book a place: / }).first();
      expect((await book.count()) === 1, 'no class with a place left');
      await navigateBy(page, () => book.click());
      expect((await page.getByText('You have a place.').count()) === 1, 'no notice that Amelia has a place');
      expect((await page.getByText('You have a place', { exact: true }).count()) >= 1, 'the class does not show her place');
      await checkPage(page, 'portal-class-booked');
      await page.context().close();
      await coordinator.context().close();

      const { page: physio } = await newContext('classes-physio');
      await staffSignIn(physio, STAFF.physio, 'physio-classes');
      await navigateBy(physio, () => mainMenu(physio).getByRole('link', { name: 'Classes' }).click());
      await expectHeading(physio, 'Classes and courses');
      await checkPage(physio, 'staff-classes');
      await navigateBy(physio, () => physio.getByRole('link', { name: 'Back class' }).first().click());
      expect((await physio.getByRole('row').count()) > 1, 'the register is empty');
      await checkPage(physio, 'staff-class-register');
      await physio.context().close();
    },
  },
  {
    name: 'p. how we contact you: Amelia records her needs, reads her messages; staff record needs, see calls and undeliverable messages',
    async run() {
      const { page: coordinator } = await newContext('comms-coordinator');
      await staffSignIn(coordinator, STAFF.coordinator, 'coordinator-comms');
      await openMessages(coordinator);
      const { page } = await newContext('amelia-comms');
      await patientSignIn(page, coordinator, AMELIA.email, AMELIA.dob, 'amelia-comms');

      await navigateBy(page, () => page.getByRole('link', { name: 'How we contact you' }).click());
      expectPath(page, '/portal/communication');
      await expectHeading(page, 'How we contact you');
      await checkPage(page, 'portal-communication');
      page.jointly.expectedStatus = 422;
      await page.getByLabel('From', { exact: true }).fill('25:00');
      await navigateBy(page, () => page.getByRole('button', { name: 'Save' }).click());
      expect((await page.locator('.nhsuk-error-summary li').count()) >= 1, 'a time of 25:00 was accepted');
      await checkPage(page, 'portal-communication-errors', { status: 422 });
      await page.getByRole('checkbox', { name: 'Large print (20 point)' }).check();
      await page.getByLabel('From', { exact: true }).fill('21:00');
      await page.getByLabel('Until', { exact: true }).fill('08:00');
      await page.getByLabel('First choice').selectOption('email');
      await page.getByLabel('Second choice').selectOption('letter');
      await navigateBy(page, () => page.getByRole('button', { name: 'Save' }).click());
      expect((await page.getByText('We have saved how to contact you').count()) === 1, 'no notice that the needs were saved');
      expect(await page.getByRole('checkbox', { name: 'Large print (20 point)' }).isChecked(), 'the saved need is not ticked');
      await checkPage(page, 'portal-communication-saved');

      await page.goto('/portal');
      await navigateBy(page, () => page.getByRole('link', { name: /^Your messages/ }).click());
      expectPath(page, '/portal/messages');
      await expectHeading(page, 'Your messages');
      await checkPage(page, 'portal-messages');
      const first = page.locator('main ul.nhsuk-list a').first();
      if ((await first.count()) === 1) {
        await navigateBy(page, () => first.click());
        expectPath(page, /^\/portal\/messages\/[0-9a-f-]+$/);
        await checkPage(page, 'portal-message');
      } else {
        log('  (no messages delivered to Amelia yet)');
      }

      // Secure messaging: Amelia writes to her care team.
      await page.goto('/portal');
      await navigateBy(page, () => page.getByRole('link', { name: 'Messages with your care team' }).click());
      expectPath(page, '/portal/conversations');
      await checkPage(page, 'portal-conversations');
      await navigateBy(page, () => page.getByRole('button', { name: 'Write a new message' }).click());
      expectPath(page, '/portal/conversations/new');
      await checkPage(page, 'portal-conversation-new');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Send' }).click());
      await expectHeading(page, 'Write to your care team');
      await checkPage(page, 'portal-conversation-errors', { status: 422 });
      await page.getByLabel('What is it about?').fill('Exercises after the class');
      await page.getByLabel('Your message').fill('My knee aches the day after the class. Should I do fewer repetitions?');
      // A photo goes with it, chosen with the page's own file input.
      await page.getByLabel('Attach a photo or document (optional)').setInputFiles({ name: 'knee.png', mimeType: 'image/png', buffer: TINY_PNG });
      await navigateBy(page, () => page.getByRole('button', { name: 'Send' }).click());
      expectPath(page, /^\/portal\/conversations\/[0-9a-f-]+$/);
      await expectHeading(page, 'Exercises after the class');
      expect((await page.getByRole('link', { name: 'Attachment: knee.png' }).count()) === 1, 'the photo is not in the conversation');
      await checkPage(page, 'portal-conversation');

      // Her passport: what matters to her and a goal, kept for every service to read.
      await navigateBy(page, () => page.goto('/portal'));
      await navigateBy(page, () => page.getByRole('link', { name: 'Your passport' }).click());
      expectPath(page, '/portal/passport');
      await expectHeading(page, 'Your passport');
      await checkPage(page, 'portal-passport');
      await page.getByLabel('What matters to you').fill('Walking to the allotment without stopping.');
      await navigateBy(page, () => page.getByRole('button', { name: 'Save', exact: true }).click());
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Add the goal' }).click());
      await checkPage(page, 'portal-passport-errors', { status: 422 });
      await page.getByLabel('A new goal').fill('Dig the allotment for an hour');
      await navigateBy(page, () => page.getByRole('button', { name: 'Add the goal' }).click());
      const kept = await page.getByLabel('What matters to you').inputValue();
      expect(kept.includes('Walking to the allotment'), `the passport did not keep what matters to her: "${kept}"`);
      expect((await page.locator('main').innerText()).includes('Dig the allotment'), 'the passport did not keep her goal');
      await checkPage(page, 'portal-passport-goal');
      // Her exercises (none set yet) and her outcome questions.
      await navigateBy(page, () => page.getByRole('link', { name: 'Your exercises' }).click());
      expectPath(page, '/portal/exercises');
      await expectHeading(page, 'Your exercises');
      await checkPage(page, 'portal-exercises');
      await navigateBy(page, () => page.goto('/portal/passport'));
      await navigateBy(page, () => page.getByRole('link', { name: 'How you are getting on' }).click());
      expectPath(page, '/portal/measures');
      await checkPage(page, 'portal-measures');
      await navigateBy(page, () => page.getByRole('link', { name: 'Answer the questions: Pain' }).click());
      expectPath(page, '/portal/measures/pain');
      await checkPage(page, 'portal-measure-form');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Save my answers' }).click());
      await checkPage(page, 'portal-measure-errors', { status: 422 });
      await page.getByRole('radio', { name: '4', exact: true }).check();
      await navigateBy(page, () => page.getByRole('button', { name: 'Save my answers' }).click());
      expectPath(page, /^\/portal\/measures\?saved=1/);
      expect((await page.locator('main').innerText()).includes('Latest score 4 out of 10'), 'her pain score is not shown');
      await checkPage(page, 'portal-measures-answered');
      await page.context().close();

      await navigateBy(coordinator, () => coordinator.goto('/staff'));
      await navigateBy(coordinator, () => coordinator.getByRole('link', { name: 'People to call' }).click());
      await expectHeading(coordinator, 'People to call');
      await checkPage(coordinator, 'staff-calls');
      await navigateBy(coordinator, () => coordinator.goto('/staff'));
      await navigateBy(coordinator, () => coordinator.getByRole('link', { name: 'Undeliverable messages' }).click());
      await expectHeading(coordinator, 'Undeliverable messages');
      await checkPage(coordinator, 'staff-undeliverable');
      await coordinator.context().close();

      const { page: triage } = await newContext('comms-triage');
      await staffSignIn(triage, STAFF.triage, 'triage-comms');
      await navigateBy(triage, () => triage.goto('/staff/triage'));
      const link = triage.locator('main table a[href^="/staff/referrals/"]').first();
      expect((await link.count()) === 1, 'the triage queue is empty');
      await navigateBy(triage, () => link.click());
      await navigateBy(triage, () => triage.getByRole('link', { name: 'Record communication needs and how to contact them' }).click());
      expectPath(triage, /^\/staff\/referrals\/[0-9a-f-]+\/communication$/);
      await checkPage(triage, 'staff-communication');
      await triage.getByRole('checkbox', { name: 'British Sign Language interpreter' }).check();
      await triage.getByRole('checkbox', { name: 'I do not use the internet' }).check();
      await navigateBy(triage, () => triage.getByRole('button', { name: 'Save' }).click());
      expectPath(triage, /^\/staff\/referrals\/[0-9a-f-]+$/);
      const flag = await triage.locator('.nhsuk-warning-callout').innerText();
      expect(flag.includes('British Sign Language interpreter needed'), `the referral does not flag the need: ${flag}`);
      await checkPage(triage, 'referral-communication-flag');
      await navigateBy(triage, () => triage.getByRole('link', { name: 'Passport' }).click());
      expectPath(triage, /^\/staff\/patients\/[0-9a-f-]+\/passport$/);
      await checkPage(triage, 'staff-passport');
      await triage.context().close();
    },
  },
  {
    name: 'q. secure messaging: the triage clinician reads Amelia\'s message and replies',
    needs: ['p. how we contact you: Amelia records her needs, reads her messages; staff record needs, see calls and undeliverable messages'],
    async run() {
      const { page: triage } = await newContext('talk-triage');
      await staffSignIn(triage, STAFF.triage, 'talk-triage');
      await navigateBy(triage, () => mainMenu(triage).getByRole('link', { name: 'Conversations with patients' }).click());
      expectPath(triage, '/staff/conversations');
      await checkPage(triage, 'staff-conversations');
      const open = triage.getByRole('link', { name: 'Exercises after the class' });
      if ((await open.count()) === 1) {
        await navigateBy(triage, () => open.click());
        await triage.getByLabel('Your reply').fill('Yes: do 8 instead of 12 for a week, then build up again.');
        await navigateBy(triage, () => triage.getByRole('button', { name: 'Send' }).click());
        expectPath(triage, /^\/staff\/conversations\/[0-9a-f-]+$/);
        await checkPage(triage, 'staff-conversation');
      } else {
        log("  (Amelia's conversation went to another key contact)");
      }
      await triage.context().close();
    },
  },
  {
    name: 'r. one passport across two services: the MSK practitioner reads Ruth\'s, her programme, measures and the decision about surgery, and refers her on',
    async run() {
      const { page: msk } = await newContext('ruth-msk');
      await staffSignIn(msk, STAFF.msk, 'ruth-msk');
      await navigateBy(msk, () => msk.goto(RUTH_MSK_REFERRAL));
      await expectHeading(msk, 'Ruth Adeyemi');
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Passport' }).click());
      expectPath(msk, /^\/staff\/patients\/[0-9a-f-]+\/passport$/);
      const journey = await msk.locator('main').innerText();
      for (const words of ['Community Physiotherapy', 'Walk Bisi to the park', 'You are stronger and the stairs are easier', 'An X-ray is booked']) {
        expect(journey.includes(words), `Ruth's passport does not show "${words}"`);
      }
      await checkPage(msk, 'staff-passport-two-services');
      // The printable copy: a PDF in her language and print size, kept for a look.
      const printed = await msk.request.get(new URL(msk.url()).pathname + '.pdf');
      expect(printed.status() === 200 && printed.headers()['content-type'] === 'application/pdf', `the passport PDF failed: ${printed.status()}`);
      const pdf = await printed.body();
      expect(pdf.subarray(0, 5).toString() === '%PDF-', 'the passport PDF is not a PDF');
      fs.writeFileSync(path.join(ARTIFACTS, 'ruth-passport.pdf'), pdf);
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Exercise programme' }).click());
      expectPath(msk, /^\/staff\/patients\/[0-9a-f-]+\/exercises$/);
      expect((await msk.locator('svg.jointly-chart__svg').count()) === 2, 'the adherence and pain charts are missing');
      await checkPage(msk, 'staff-exercises');
      await msk.getByLabel('Start from a condition template (optional)').selectOption('back');
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Use this template' }).click());
      expect(await msk.getByRole('checkbox', { name: 'Include Knee rolls' }).isChecked(), 'the back template did not fill the form');
      await checkPage(msk, 'staff-exercises-template');
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Back to the passport' }).click());
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Outcome measures' }).click());
      expectPath(msk, /^\/staff\/patients\/[0-9a-f-]+\/measures$/);
      expect((await msk.locator('svg.jointly-chart__svg').count()) === 3, 'the outcome charts are missing');
      await checkPage(msk, 'staff-measures');
      msk.jointly.expectedStatus = 422;
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Send' }).click());
      await checkPage(msk, 'staff-measures-errors', { status: 422 });
      await navigateBy(msk, () => msk.goto(RUTH_MSK_REFERRAL));
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Decision and fitness for surgery' }).first().click());
      expectPath(msk, /^\/staff\/referrals\/[0-9a-f-]+\/surgery$/);
      expect((await msk.locator('main').innerText()).includes('They want time to think'), 'the decision conversation is not shown');
      await checkPage(msk, 'staff-surgery');
      msk.jointly.expectedStatus = 422;
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Record the decision' }).click());
      await checkPage(msk, 'staff-surgery-errors', { status: 422 });
      // Signposting from her passport, and the discharge summary form (not sent: the demo
      // keeps her MSK care open for the other journeys).
      await navigateBy(msk, () => msk.goto(RUTH_MSK_REFERRAL));
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Passport' }).click());
      for (const words of ['Referred to a community service', 'Discharge summary', 'Decision about surgery']) {
        expect((await msk.locator('main').innerText()).includes(words), `Ruth's passport does not show "${words}"`);
      }
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Signpost or refer' }).click());
      expectPath(msk, /^\/staff\/patients\/[0-9a-f-]+\/signpost$/);
      await checkPage(msk, 'staff-signpost');
      msk.jointly.expectedStatus = 422;
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Save to their passport' }).click());
      await checkPage(msk, 'staff-signpost-errors', { status: 422 });
      await msk.getByLabel('What you are pointing them to').selectOption('service:working-well');
      await msk.getByRole('radio', { name: 'Signposted (told them about it)' }).check();
      await msk.getByLabel('Note for the person').fill('For the market days: ask about changes that help.');
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Save to their passport' }).click());
      expect((await msk.locator('main').innerText()).includes('Saved to their passport.'), 'the signposting was not saved');
      // Referring her on to the hospital: her communication needs go with it.
      await navigateBy(msk, () => msk.goto(RUTH_MSK_REFERRAL));
      await navigateBy(msk, () => msk.getByRole('link', { name: 'Refer on' }).click());
      expectPath(msk, /^\/staff\/referrals\/[0-9a-f-]+\/onward$/);
      await checkPage(msk, 'staff-onward');
      msk.jointly.expectedStatus = 422;
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Refer on' }).click());
      await checkPage(msk, 'staff-onward-errors', { status: 422 });
      await msk.getByLabel('ODS code of the organisation you are referring to').fill('RC9');
      await msk.getByLabel('Name of the organisation').fill('Bedfordshire Hospitals');
      await msk.getByLabel('What you are asking for').fill('Orthopaedic opinion: knee');
      await msk.getByLabel('Why', { exact: true }).fill('Knee pain despite twelve weeks of physiotherapy.');
      await msk.getByRole('radio', { name: 'Routine' }).check();
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Refer on' }).click());
      expect((await msk.locator('main').innerText()).includes('Referred on.'), 'the onward referral was not saved');
      await navigateBy(msk, () => msk.goto(RUTH_MSK_REFERRAL + '/discharge'));
      await expectHeading(msk, 'Discharge summary');
      await checkPage(msk, 'staff-discharge');
      msk.jointly.expectedStatus = 422;
      await navigateBy(msk, () => msk.getByRole('button', { name: 'Discharge and send the summary' }).click());
      await checkPage(msk, 'staff-discharge-errors', { status: 422 });
      await navigateBy(msk, () => mainMenu(msk).getByRole('link', { name: 'MDT list' }).click());
      expectPath(msk, '/staff/mdt');
      await expectHeading(msk, 'Multidisciplinary team list');
      await checkPage(msk, 'staff-mdt');
      await msk.context().close();
    },
  },
  {
    name: 's. anyone reads help pages, downloads a resource pack and searches the community directory, in English and Polish, and reads the API reference',
    async run() {
      const { page } = await newContext('help');
      await navigateBy(page, () => page.goto('/'));
      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Help and support' }).click());
      expectPath(page, '/help');
      await expectHeading(page, 'Help and support');
      await checkPage(page, 'help');
      await navigateBy(page, () => page.getByRole('link', { name: 'Knee pain', exact: true }).click());
      expectPath(page, '/help/knee-pain');
      await expectHeading(page, 'Knee pain');
      expect((await page.locator('main').innerText()).includes('Go to A&E or call 999 if'), 'the warning signs are missing');
      await checkPage(page, 'help-knee-pain');
      const pack = await page.request.get('/help/knee-pain/pack.pdf?print=large');
      expect(pack.status() === 200 && pack.headers()['content-type'] === 'application/pdf', `the resource pack failed: ${pack.status()}`);
      const pdf = await pack.body();
      expect(pdf.subarray(0, 5).toString() === '%PDF-', 'the resource pack is not a PDF');
      fs.writeFileSync(path.join(ARTIFACTS, 'knee-pain-pack-large.pdf'), pdf);
      await navigateBy(page, () => page.getByRole('link', { name: 'Find community services near you' }).click());
      expectPath(page, '/help/directory');
      await checkPage(page, 'directory');
      await page.getByLabel('Where').selectOption('luton');
      await page.getByRole('checkbox', { name: 'open in the evening (after 6pm)' }).check();
      await navigateBy(page, () => page.getByRole('button', { name: 'Show services' }).click());
      expectPath(page, /^\/help\/directory\?/);
      const found = await page.locator('main').innerText();
      expect(found.includes('Strength and Balance Luton') && !found.includes('Bedford Health Walks'), 'the filters did not filter');
      await checkPage(page, 'directory-luton-evenings');
      await navigateBy(page, () => page.getByRole('link', { name: 'Strength and Balance Luton' }).click());
      await expectHeading(page, 'Strength and Balance Luton');
      await checkPage(page, 'directory-service');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.goto('/help/directory?category=yoga'));
      await checkPage(page, 'directory-errors', { status: 422 });
      await navigateBy(page, () => page.goto('/help/knee-pain'));
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Choose a language' }).getByRole('link', { name: 'Polski' }).click());
      await expectHeading(page, 'Ból kolana');
      await checkPage(page, 'help-knee-pain-polish');
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Wybierz język' }).getByRole('link', { name: 'English' }).click());
      await navigateBy(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'Waiting times' }).click());
      expectPath(page, '/waiting-times');
      await expectHeading(page, 'Waiting times');
      expect((await page.locator('main').innerText()).includes('If you are referred today'), 'no estimated wait on the waiting times page');
      await checkPage(page, 'waiting-times');
      await navigateBy(page, () => page.getByRole('link', { name: 'Where our clinics are' }).click());
      expectPath(page, '/locations');
      await checkPage(page, 'locations');
      await navigateBy(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'How your referral is handled' }).click());
      expectPath(page, '/pathway');
      expect((await page.locator('figure svg[role="img"]').count()) === 1, 'the pathway diagram is missing');
      await checkPage(page, 'pathway');
      await navigateBy(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'Our services' }).click());
      expectPath(page, '/services');
      await expectHeading(page, 'Our services and the conditions we treat');
      await checkPage(page, 'services');
      await navigateBy(page, () => page.getByRole('link', { name: 'Posters for GP surgeries, pharmacies and community spaces' }).click());
      expectPath(page, '/posters');
      const poster = await page.request.get('/posters/ur');
      expect(poster.status() === 200 && poster.headers()['content-type'] === 'application/pdf', 'the Urdu poster is not a PDF');
      await checkPage(page, 'posters');
      await navigateBy(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'Questions and answers' }).click());
      expectPath(page, '/faq');
      await page.getByText('How do I cancel or change my appointment?').click();
      expect((await page.locator('main').innerText()).includes('Use the link in your appointment message'), 'the answer does not open');
      await checkPage(page, 'faq');
      await navigateBy(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'For developers: our API' }).click());
      expectPath(page, '/api/docs');
      await expectHeading(page, 'JSON API reference');
      const booking = page.locator('#post_v1_me_appointments');
      expect((await booking.innerText()).includes('A signed-in patient, for their own records.'), 'the booking call does not say who may make it');
      // A link within the page: the document stays, the schema comes into view.
      await booking.getByRole('link', { name: 'Problem' }).first().click();
      await page.waitForURL(/#schema-Problem$/);
      expect(await page.locator('#schema-Problem').isVisible(), 'the answer does not link to its schema');
      const document = await page.request.get('/api/openapi.json');
      expect(document.status() === 200 && (await document.json()).paths['/api/v1/me/appointments'].post, 'the OpenAPI document lacks the booking call');
      await checkPage(page, 'api-docs');
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Choose a language' }).getByRole('link', { name: 'Polski' }).click());
      await expectHeading(page, 'Dokumentacja API JSON');
      await checkPage(page, 'api-docs-polish');
      await page.context().close();
    },
  },
  {
    name: 't. feedback: anyone answers the FFT question and raises a concern; customer care tags, answers and publishes "you said, we did"',
    async run() {
      const { page } = await newContext('feedback');
      await navigateBy(page, () => page.goto('/'));
      await navigateBy(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'Tell us what you think' }).click());
      expectPath(page, '/feedback');
      await expectHeading(page, 'Tell us what you think');
      await checkPage(page, 'feedback');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Send feedback' }).click());
      await checkPage(page, 'feedback-errors', { status: 422 });
      await page.getByRole('group', { name: 'What is your feedback about?' }).getByRole('radio', { name: 'An appointment' }).check();
      await page.getByRole('group', { name: 'Overall, how was your experience of our service?' }).getByRole('radio', { name: 'Very good', exact: true }).check();
      await page.getByLabel('Please tell us why you gave that answer').fill('The evening clinic meant I did not miss work.');
      await page.getByRole('group', { name: 'May we publish your story?' }).getByRole('radio', { name: 'No, keep it private' }).check();
      await navigateBy(page, () => page.getByRole('button', { name: 'Send feedback' }).click());
      expect((await page.locator('main').innerText()).includes('We read every answer.'), 'no thanks after feedback');
      await navigateBy(page, () => page.getByRole('link', { name: 'Raise a concern with our customer care team' }).click());
      expectPath(page, '/concerns');
      await checkPage(page, 'concern');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Send your concern' }).click());
      await checkPage(page, 'concern-errors', { status: 422 });
      await navigateBy(page, () => page.goto('/you-said-we-did'));
      expect((await page.locator('main').innerText()).includes('Tuesday and Thursday evening clinics'), 'the published improvements are missing');
      await checkPage(page, 'you-said-we-did');
      await page.context().close();

      const { page: care } = await newContext('customer-care');
      await staffSignIn(care, STAFF.coordinator, 'customer-care');
      await navigateBy(care, () => mainMenu(care).getByRole('link', { name: 'Feedback' }).click());
      expectPath(care, '/staff/feedback');
      expect((await care.locator('main').innerText()).includes('The evening clinic meant I did not miss work.'), 'the new feedback is not listed');
      expect((await care.locator('svg.jointly-chart__svg').count()) === 1, 'the FFT chart is missing');
      await checkPage(care, 'staff-feedback');
      await navigateBy(care, () => care.getByRole('link', { name: 'Concerns' }).first().click());
      expectPath(care, '/staff/concerns');
      await checkPage(care, 'staff-concerns');
      await navigateBy(care, () => care.getByRole('link', { name: 'Back to feedback' }).click());
      await navigateBy(care, () => care.getByRole('link', { name: 'You said, we did' }).first().click());
      expectPath(care, '/staff/improvements');
      await checkPage(care, 'staff-improvements');
      care.jointly.expectedStatus = 422;
      await navigateBy(care, () => care.getByRole('button', { name: 'Save the action' }).click());
      await checkPage(care, 'staff-improvements-errors', { status: 422 });
      await care.context().close();
    },
  },
  {
    name: 'u. dashboards: the service manager finds the gap in missed appointments by deprivation, regroups by ethnicity, and sets the alert threshold',
    async run() {
      const { page } = await newContext('dashboards');
      await staffSignIn(page, STAFF.manager, 'dashboards');
      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Dashboards' }).click());
      expectPath(page, '/staff/dashboards');
      await expectHeading(page, 'Population health dashboards');
      expect((await page.locator('main').innerText()).includes('synthetic demo'), 'the demo deprivation lookup is not named');
      expect((await page.locator('main').innerText()).includes('Missed appointments (Deprivation decile)'), 'the alert is not listed on the dashboards page');
      await checkPage(page, 'dashboards');
      // The alert links straight to the dashboard grouped the way the gap was found.
      await navigateBy(page, () => page.getByRole('link', { name: 'Missed appointments (Deprivation decile)' }).click());
      expectPath(page, '/staff/dashboards/attendance?cut=deprivation');
      await expectHeading(page, 'Missed appointments');
      const alert = await page.locator('.nhsuk-warning-callout').innerText();
      expect(alert.includes('most deprived fifth'), `no inequality alert by deprivation: ${alert}`);
      expect((await page.locator('svg.jointly-chart__svg line.jointly-chart__whisker').count()) >= 10, 'the chart has no intervals');
      await checkPage(page, 'dashboard-attendance');
      await page.getByLabel('Group people by').selectOption({ label: 'Ethnic group' });
      await navigateBy(page, () => page.getByRole('button', { name: 'Show' }).click());
      expect((await page.getByRole('table', { name: 'Missed appointments' }).innerText()).includes('Asian or Asian British'), 'no ethnic groups in the table');
      await checkPage(page, 'dashboard-attendance-ethnicity');
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Dashboards' }).getByRole('link', { name: 'Waits' }).click());
      expect((await page.locator('svg.jointly-chart__svg').count()) === 2, 'the waits dashboard needs its two charts');
      await checkPage(page, 'dashboard-waits');
      await navigateBy(page, () => page.getByRole('navigation', { name: 'Dashboards' }).getByRole('link', { name: 'Clinic use' }).click());
      expectPath(page, '/staff/dashboards/clinics');
      expect((await page.getByRole('table', { name: 'Clinic use' }).innerText()).includes('Booked again'), 'no clinic-use table');
      await checkPage(page, 'dashboard-clinics');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.goto('/staff/dashboards/waits?cut=shoe-size'));
      await checkPage(page, 'dashboard-errors', { status: 422 });
      await navigateBy(page, () => page.goto('/staff/dashboards'));
      await page.getByLabel('Warn when a gap between groups is at least this many percentage points').fill('lots');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Save the threshold' }).click());
      await checkPage(page, 'dashboards-threshold-errors', { status: 422 });
      await page.getByLabel('Warn when a gap between groups is at least this many percentage points').fill('5');
      await navigateBy(page, () => page.getByRole('button', { name: 'Save the threshold' }).click());
      expect((await page.locator('main').innerText()).includes('The inequality alert threshold has been saved.'), 'the threshold was not saved');
      await page.context().close();
    },
  },
  {
    name: 'v. the administrator grants a GP practice\'s system FHIR access (a bad scope refused first); the system signs in and reads the capability statement',
    async run() {
      const { page } = await newContext('fhir-access');
      await staffSignIn(page, STAFF.admin, 'fhir-access');
      await navigateBy(page, () => mainMenu(page).getByRole('link', { name: 'Referring organisations' }).click());
      expectPath(page, '/staff/organisations');
      await checkPage(page, 'organisations');
      await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Marsh Lane Surgery (Y01234)' });
      await page.getByLabel('Scopes, separated by spaces').fill('system/Everything.read');
      page.jointly.expectedStatus = 422;
      await navigateBy(page, () => page.getByRole('button', { name: 'Save access' }).click());
      await checkPage(page, 'organisations-scope-errors', { status: 422 });
      expect((await page.getByRole('link', { name: 'Enter scopes such as system/Patient.read, separated by spaces' }).count()) === 1, 'the error summary does not name the scopes');
      await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Marsh Lane Surgery (Y01234)' });
      await page.getByLabel('Scopes, separated by spaces').fill('system/ServiceRequest.write system/Slot.read');
      await navigateBy(page, () => page.getByRole('button', { name: 'Save access' }).click());
      expectPath(page, '/staff/organisations');
      const row = page.getByRole('row').filter({ hasText: 'Marsh Lane Surgery' });
      expect((await row.innerText()).includes('system/ServiceRequest.write system/Slot.read'), 'the scopes are not shown');
      await checkPage(page, 'organisations-scopes-saved');
      // The practice's system now signs in with its ODS code and key.
      const token = await fetch(`${baseUrl}/fhir/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'Y01234', client_secret: 'jly_demo-marsh-lane-surgery-not-a-secret' }),
      });
      const issued = await token.json();
      expect(token.status === 200 && issued.scope === 'system/ServiceRequest.write system/Slot.read', `token: ${token.status} ${JSON.stringify(issued)}`);
      const metadata = await fetch(`${baseUrl}/fhir/metadata`);
      expect((await metadata.json()).fhirVersion === '4.0.1', 'no capability statement');
      const slots = await fetch(`${baseUrl}/fhir/Schedule`, { headers: { authorization: `Bearer ${issued.access_token}` } });
      expect(slots.status === 403, `a token without Schedule.read must be refused, got ${slots.status}`);
      await page.context().close();
    },
  },
  {
    name: 'h. a page that does not exist',
    async run() {
      const { page } = await newContext('not-found');
      page.jointly.expectedStatus = 404;
      const response = await page.goto('/no-such-page');
      expect(response?.status() === 404, `expected 404, got ${response?.status()}`);
      await expectHeading(page, 'Page not found');
      expect(
        (await page.getByRole('link', { name: /home/i }).count()) >= 1,
        'the 404 page has no link home',
      );
      await checkPage(page, 'not-found', { status: 404 });
      await page.context().close();
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The runner

async function main() {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    timeout: 30_000,
    // This script's own handlers close the browser and stop the server on a signal.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  log(`chromium ${browser.version()}`);

  const results = new Map();
  for (const journey of journeys) {
    if (stopping) break;
    const missing = (journey.needs ?? []).filter((name) => results.get(name) === 'failed' || results.get(name) === 'skipped');
    if (missing.length > 0) {
      results.set(journey.name, 'skipped');
      fail(journey.name, `skipped: needs ${missing.join(', ')}`);
      continue;
    }
    log(`journey ${journey.name}`);
    const before = failures.length;
    try {
      await journey.run();
      // A journey whose pages had axe or HTTP problems still did its job, so the journeys
      // that need it run; those problems are recorded as failures and fail the run.
      results.set(journey.name, failures.length === before ? 'passed' : 'completed, with page problems');
    } catch (error) {
      if (stopping) break;
      results.set(journey.name, 'failed');
      const message = error instanceof CheckError ? error.message : error.stack ?? String(error);
      fail(journey.name, message);
    }
  }

  console.log('\nJourneys:');
  for (const [name, result] of results) console.log(`  ${name}: ${result}`);
  return results;
}

function report(crashed) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!crashed && failures.length === 0) {
    console.log(`\nAll browser tests passed in ${seconds}s (${shotNumber} screenshots in ${ARTIFACTS}).`);
    return 0;
  }
  console.log(`\nFAILED after ${seconds}s: ${failures.length} failure(s)${crashed ? ', and the run stopped early' : ''}.`);
  for (const { where, message } of failures) console.log(`\n* ${where}\n  ${message}`);
  console.log(`\nScreenshots and server.log are in ${ARTIFACTS}`);
  return 1;
}

// A signal or the overall time limit stops the run: the journeys stop, the browser closes,
// the server stops, and the handler reports and exits (the journey in flight may fail on
// the closed browser; that is not reported).
let stopping = null;

async function stop(reason, exitCode) {
  if (stopping) return;
  stopping = reason;
  console.log(`\n${reason}: closing the browser and stopping the server`);
  await cleanUp().catch(() => {});
  report(true);
  process.exit(exitCode);
}

const overall = setTimeout(() => {
  fail('run', `the browser tests took longer than ${OVERALL_TIMEOUT_MS / 1000}s`);
  stop('time limit reached', 1);
}, OVERALL_TIMEOUT_MS);

for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.on(signal, () => stop(`stopped by ${signal}`, 128 + number));
}
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

let crashed = false;
try {
  await main();
} catch (error) {
  crashed = true;
  if (!stopping) fail('run', error.stack ?? String(error));
}
if (!stopping) {
  clearTimeout(overall);
  await cleanUp().catch((error) => fail('clean-up', error.stack ?? String(error)));
  process.exit(report(crashed));
}
