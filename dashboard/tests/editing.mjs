// Editing in a real browser, with JavaScript switched off (the forms must work without it):
// a contributor signs in with a token, creates a project through the form (a proposal), signs
// out; an editor signs in, approves it in the review queue; the project is then in the project
// list and its history page names both. Projects have no coordinates (the map shows plants),
// so the list and the history page are where it shows.
//
//   node dashboard/tests/editing.mjs <base-url> <screenshot-dir> <contributor-token> <editor-token>
//
// Exit code 0 when every check passed; 1 with the failed checks listed otherwise.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, shots, contributor, editor] = process.argv.slice(2);
if (!base || !shots || !contributor || !editor) {
  console.error('usage: node editing.mjs <base-url> <screenshot-dir> <contributor-token> <editor-token>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const profile = mkdtempSync(join(tmpdir(), 'decarb-chromium-edit-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  javaScriptEnabled: false,
  viewport: { width: 1360, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic'],
});
const page = context.pages()[0] || await context.newPage();
const key = 'browser-h2-dri-2031';
const signIn = async (token, who) => {
  await page.goto(`${base}/sign-in`);
  await page.fill('input[name="token"]', token);
  await Promise.all([page.waitForNavigation(), page.click('form.edit button[type="submit"]')]);
  const account = await page.textContent('[data-testid="account"]');
  check(account.includes(`Signed in as ${who}`), `signed in as ${who} (${account.trim().replace(/\s+/g, ' ')})`);
};
const signOut = async () => {
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="account"] button')]);
  check((await page.textContent('[data-testid="account"]')).includes('Sign in'), 'signed out');
};

try {
  // The contributor files the project as a proposal; a missing note is shown beside its field.
  await signIn(contributor, 'web-contributor (contributor)');
  await page.goto(`${base}/edit/projects`);
  await page.fill('#f-key', key);
  await page.fill('#f-name', 'Browser H2-DRI plant');
  await page.fill('#f-sector', 'steel');
  await page.fill('#f-technology', 'H2-DRI + EAF');
  await page.fill('#f-country', 'Sweden');
  await page.selectOption('#f-stage', 'announced');
  await page.fill('#f-capacity_value', '1.5');
  await page.fill('#f-capacity_unit', 'Mt steel/yr');
  await page.fill('#f-source_url', 'https://example.org/press/browser-h2-dri');
  await page.fill('#f-note', ' ');
  await Promise.all([page.waitForNavigation(), page.click('form.edit button[type="submit"]')]);
  const noteError = await page.locator('[data-field="note"]').count();
  check(noteError === 1, 'a blank note is refused beside the note field');
  check(await page.inputValue('#f-key') === key, 'the form keeps what was typed');
  await page.fill('#f-note', 'Announced by the company');
  await Promise.all([page.waitForNavigation(), page.click('form.edit button[type="submit"]')]);
  const proposed = await page.textContent('[data-testid="proposed"]').catch(() => '');
  check(/proposal #\d+/.test(proposed), `the contributor's project is a proposal (${proposed.trim()})`);
  await page.screenshot({ path: join(shots, 'edit-proposed.png'), fullPage: true });
  const review = await page.goto(`${base}/review`);
  check(review.status() === 403, `a contributor may not open the review queue (${review.status()})`);
  await page.goto(`${base}/projects?text=${encodeURIComponent('Browser H2-DRI')}`);
  check(!(await page.content()).includes(key), 'not listed before approval');
  await page.goto(`${base}/`);
  await signOut();

  // The editor approves it.
  await signIn(editor, 'web-editor (editor)');
  await page.goto(`${base}/review`);
  const proposal = page.locator(`[data-testid="proposal"][data-key="${key}"]`);
  check(await proposal.count() === 1, 'the proposal waits in the review queue');
  await page.screenshot({ path: join(shots, 'review.png'), fullPage: true });
  await Promise.all([page.waitForNavigation(), proposal.locator('button', { hasText: 'Approve' }).click()]);
  const decided = await page.textContent('[data-testid="decided"]').catch(() => '');
  check(decided.includes('approved'), `approved (${decided.trim()})`);

  // Listed, with its history.
  await page.goto(`${base}/projects?text=${encodeURIComponent('Browser H2-DRI')}`);
  const row = page.locator('#project-table tbody tr', { hasText: key });
  check(await row.count() === 1, 'the project is in the project list');
  check((await row.textContent()).includes('1.50 Mt steel/yr'), 'with its capacity');
  await page.screenshot({ path: join(shots, 'projects-after-approval.png'), fullPage: true });
  await page.goto(`${base}/history/projects/${key}`);
  const log = await page.textContent('#history-table');
  check(log.includes('web:web-contributor') && log.includes('web:web-editor'), 'history names proposer and approver');
  check(log.includes('https://example.org/press/browser-h2-dri'), 'history cites the source');
  await page.screenshot({ path: join(shots, 'history.png'), fullPage: true });
  await signOut();
} catch (err) {
  failures.push(String(err && err.stack || err));
  console.error(err);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`${failures.length} check(s) failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('all editing checks passed');
