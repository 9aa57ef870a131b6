import { saveAndRefresh } from '../scenarios/core';
import { FAULT_CASES, runFaultCase } from '../scenarios/faults';
import { expect, test } from './fixtures';

for (const faultCase of FAULT_CASES) {
  test(`fault: ${faultCase.name} shows its own message, keeps everything, and the next refresh works`, ({
    popup,
    sandbox,
  }) => runFaultCase({ popup, sandbox }, faultCase));
}

test('fault: no answer within 15 s is reported as a timeout', async ({ popup, sandbox }) => {
  test.setTimeout(60_000);
  await saveAndRefresh({ popup, sandbox });
  const good = sandbox.lastIssued()?.accessToken;
  // Never released: the server keeps the request open until the worker's own 15 s limit gives up on it (the
  // fixture's close() ends it afterwards).
  const hold = sandbox.holdNext();
  await popup.refresh();
  await hold.arrived;
  await expect.poll(() => popup.alertText()).toContain('did not answer within 15 seconds');
  expect(await popup.revealAccessToken()).toBe(good);
  expect(sandbox.lastIssued()?.accessToken).toBe(good);
});

test('a wrong client secret is named as such and is kept for the user to correct', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  await popup.fill('Client secret', 'wrong-secret-1234');
  await popup.save();
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toContain('The client ID or client secret was rejected');
  expect(await popup.alertText()).toContain('invalid_client');
  await popup.open();
  expect(await popup.fieldValue('Client secret')).toBe('wrong-secret-1234');
  await popup.fill('Client secret', sandbox.app.clientSecret);
  await popup.save();
  await expect.poll(() => popup.alertText()).toBe('');
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  await expect.poll(() => popup.alertText()).toBe('');
});

/** A 200 with an unusual `expires_in`: the token is kept (it may be the only one), the expiry is explained. */
const EXPIRY_CASES: { name: string; expiresIn: unknown; countdown: RegExp; note: RegExp }[] = [
  { name: 'missing', expiresIn: 'omit', countdown: /^Unknown$/, note: /sent no expires_in/ },
  { name: 'zero', expiresIn: 0, countdown: /^Unknown$/, note: /expires_in 0, which is no usable lifetime/ },
  { name: 'negative', expiresIn: -60, countdown: /^Unknown$/, note: /expires_in -60/ },
  {
    name: 'a numeric string',
    expiresIn: '1800',
    countdown: /^0:(30:00|29:5\d)$/,
    note: /came as the text "1800"/,
  },
  { name: 'a word', expiresIn: 'soon', countdown: /^Unknown$/, note: /not a number/ },
  {
    name: 'an epoch time',
    // Computed when the test runs, not when the file loads: a long suite would eat into the two hours.
    expiresIn: () => Math.floor(Date.now() / 1000) + 2 * 3600,
    countdown: /^(2:00:00|1:59:\d\d)$/,
    note: /epoch time/,
  },
];

for (const c of EXPIRY_CASES) {
  test(`expires_in ${c.name}: the token is kept and the expiry explained`, async ({ popup, sandbox }) => {
    sandbox.settings.expiresIn =
      typeof c.expiresIn === 'function' ? (c.expiresIn as () => unknown)() : c.expiresIn;
    await saveAndRefresh({ popup, sandbox });
    expect(await popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
    expect(await popup.countdown()).toMatch(c.countdown);
    await expect(popup.page.locator('.token .note')).toContainText(c.note);
    expect(await popup.alertText()).toBe('');
  });
}
