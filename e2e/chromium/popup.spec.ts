import { credentialsFor, refreshTokenIn, saveAndRefresh } from '../scenarios/core';
import { workerHasReceived } from './devtools';
import { expect, test } from './fixtures';

test('saving without a refresh token says what is missing and stores nothing', async ({ popup, sandbox }) => {
  await popup.fill('Client ID', sandbox.app.clientId);
  expect(await popup.save()).toContain('Not saved');
  const field = popup.page.getByLabel('Refresh token', { exact: true });
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(/Enter a refresh token/);
  await popup.open();
  expect(await popup.fieldValue('Client ID')).toBe('');
  await expect(popup.page.getByRole('button', { name: 'Refresh now' })).toHaveCount(0);
});

test('a missing client ID and secret are allowed but warned about', async ({ popup, sandbox }) => {
  await popup.fill('Refresh token', sandbox.issueRefreshToken());
  expect(await popup.save()).toContain('Saved');
  await expect(popup.page.getByLabel('Client ID', { exact: true })).toHaveAccessibleDescription(
    /Required for new API apps/,
  );
  await expect(popup.page.getByLabel('Client secret', { exact: true })).toHaveAccessibleDescription(
    /Required for new API apps/,
  );
});

test('a bad OAuth host is explained and the stored credentials stay', async ({ popup, sandbox }) => {
  const credentials = await saveAndRefresh({ popup, sandbox });
  await popup.fill('OAuth host', 'https://api.hellosign.com/v3');
  expect(await popup.save()).toContain('Not saved');
  await expect(popup.page.getByLabel('OAuth host', { exact: true })).toHaveAccessibleDescription(
    /on app.hellosign.com, not api.hellosign.com/,
  );
  await popup.open();
  expect(await popup.fieldValue('Client secret')).toBe(credentials.clientSecret);
});

test('a pasted token response JSON is reduced to its refresh token', async ({ popup, sandbox }) => {
  const refreshToken = sandbox.issueRefreshToken();
  await popup.fillCredentials({
    ...credentialsFor(sandbox),
    refreshToken: JSON.stringify({ access_token: 'abc', refresh_token: refreshToken, expires_in: 3600 }),
  });
  await popup.save();
  await popup.open();
  expect(await popup.fieldValue('Refresh token')).toBe(refreshToken);
});

test('rapid clicks on Refresh now send one request; the button is busy meanwhile', async ({
  popup,
  sandbox,
}) => {
  await popup.fillCredentials(credentialsFor(sandbox));
  await popup.save();
  const hold = sandbox.holdNext();
  // Five clicks in one go, before the page has even re-rendered: the worker joins them into one refresh.
  await popup.clickRefresh(5);
  await hold.arrived;
  const button = popup.page.locator('.refresh-row .refresh-now');
  await expect(button).toHaveText('Refreshing…');
  await expect(button).toHaveAttribute('aria-busy', 'true');
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  // Five more while it is busy: the button takes none of them.
  await popup.clickRefresh(5);
  // Every message the page sent has reached the worker, and joined the refresh the sandbox is holding.
  await workerHasReceived(popup.page);
  expect(sandbox.tokenRefreshRequests()).toHaveLength(1);

  hold.release();
  await expect(button).toHaveText('Refresh now');
  await expect(button).toHaveAttribute('aria-busy', 'false');
  await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
  expect(sandbox.tokenRefreshRequests()).toHaveLength(1);
});

test('two open popups refreshing at once share one request', async ({ popup, sandbox, context }) => {
  await popup.fillCredentials(credentialsFor(sandbox));
  await popup.save();
  const second = await context.newPage();
  await second.goto(popup.page.url());
  // Both buttons ready before the POST is held: the hold must not outlast the worker's 15 s request timeout
  // while a page is still rendering (on CI's loaded cores a second POST once came 15.4 s after the held one,
  // which had timed out by then).
  const buttons = [popup.page, second].map((page) => page.getByRole('button', { name: 'Refresh now' }));
  await Promise.all(buttons.map((button) => expect(button).toBeEnabled()));
  const hold = sandbox.holdNext();
  await Promise.all(buttons.map((button) => button.click()));
  await hold.arrived;
  // Both pages' refresh messages have reached the worker while the first POST is held: they share it.
  await Promise.all([workerHasReceived(popup.page), workerHasReceived(second)]);
  expect(sandbox.tokenRefreshRequests()).toHaveLength(1);
  hold.release();
  await expect(second.getByRole('textbox', { name: 'Access token' })).toBeVisible();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  expect(sandbox.tokenRefreshRequests()).toHaveLength(1);
});

test('HTTP Basic mode sends the credentials in the header only, as shown under "Last request sent"', async ({
  popup,
  sandbox,
}) => {
  const credentials = credentialsFor(sandbox);
  await popup.fillCredentials(credentials);
  await popup.fill('OAuth host', 'https://app.hellosign.com');
  await popup.page.getByLabel('Client authentication').selectOption('basic');
  await popup.save();
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  const [request] = sandbox.tokenRefreshRequests();
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  expect(request?.headers.authorization).toBe(`Basic ${basic}`);
  expect(request?.headers['content-type']).toBe('application/json');
  expect(request?.headers.cookie).toBeUndefined();
  expect(JSON.parse(request?.bodyText ?? '{}')).toEqual({
    grant_type: 'refresh_token',
    refresh_token: credentials.refreshToken,
  });
  await popup.page.getByText('Last request sent').click();
  const shown = await popup.page.locator('.request-details pre').textContent();
  expect(shown).toContain('POST https://app.hellosign.com/oauth/token?refresh');
  expect(shown).toContain('Authorization: Basic ••••••••');
  expect(shown).not.toContain(basic);
  expect(shown).not.toContain(credentials.refreshToken);
});

test('the whole flow works from the keyboard alone, with a visible focus ring', async ({
  popup,
  sandbox,
}) => {
  const { page } = popup;
  const credentials = credentialsFor(sandbox);
  // The empty state focuses Client ID first, so a user can start typing.
  await expect(page.getByLabel('Client ID', { exact: true })).toBeFocused();
  await page.keyboard.type(credentials.clientId);
  await page.keyboard.press('Tab');
  await page.keyboard.type(credentials.clientSecret);
  await page.keyboard.press('Tab'); // Show client secret
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Refresh token', { exact: true })).toBeFocused();
  await page.keyboard.type(credentials.refreshToken);
  await page.keyboard.press('Enter'); // submits the form
  await expect(page.locator('.form-status')).toContainText('Saved');
  const refresh = page.getByRole('button', { name: 'Refresh now' });
  await page.keyboard.press('Shift+Tab');
  while (!(await refresh.evaluate((el) => el === document.activeElement)))
    await page.keyboard.press('Shift+Tab');
  const outline = await refresh.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).toBe('solid');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Access token' })).toBeVisible();
  await page.keyboard.press('Tab'); // Refresh and copy
  await page.keyboard.press('Tab'); // Show access token
  await expect(page.getByRole('button', { name: 'Show access token' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Access token' })).toHaveText(
    sandbox.lastIssued()?.accessToken ?? 'missing',
  );
});

test('saving the form after a refresh never puts back the refresh token that was rotated away', async ({
  popup,
  sandbox,
}) => {
  const credentials = credentialsFor(sandbox);
  // Pasted as the whole token response, which the worker reduces to the token itself.
  await popup.fillCredentials({
    ...credentials,
    refreshToken: ` {"refresh_token":"${credentials.refreshToken}"} `,
  });
  await popup.save();
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  const rotated = sandbox.lastIssued()?.refreshToken;
  // The user then edits something else and saves again, without reopening the popup.
  await popup.page.locator('details.advanced > summary').click();
  await popup.page.getByLabel('Name', { exact: true }).fill('Renamed app');
  expect(await popup.save()).toContain('Saved');
  expect(await popup.fieldValue('Refresh token')).toBe(rotated);
  await popup.refresh();
  await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(2);
  expect(refreshTokenIn(sandbox.tokenRefreshRequests()[1])).toBe(rotated);
  expect(await popup.alertText()).toBe('');
});
