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
  sandbox.injectFault({ kind: 'delay', ms: 17_000 });
  await popup.refresh();
  await expect
    .poll(() => popup.alertText(), { timeout: 20_000 })
    .toContain('did not answer within 15 seconds');
  expect(await popup.revealAccessToken()).toBe(good);
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
  expect(await popup.alertText()).toBe('');
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  expect(await popup.alertText()).toBe('');
});
