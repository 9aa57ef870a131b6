import { expect } from '@playwright/test';
import type { Credentials, PopupPage } from '../pages/popup';
import type { RecordedRequest, Sandbox } from '../sandbox/server';

/**
 * The scenarios every browser must pass, written against the page object and the sandbox only. Each spec
 * file (one per browser) runs them with its own fixtures.
 */
export interface ScenarioContext {
  popup: PopupPage;
  sandbox: Sandbox;
  /**
   * The OAuth host to enter under Advanced, for a browser that cannot send the default host to the sandbox
   * (Firefox: the sandbox's own http://127.0.0.1:PORT). Absent: the default host is kept.
   */
  oauthHost?: string;
}

export interface Scenario {
  name: string;
  run(ctx: ScenarioContext): Promise<void>;
}

export function credentialsFor(sandbox: Sandbox): Credentials {
  return {
    clientId: sandbox.app.clientId,
    clientSecret: sandbox.app.clientSecret,
    refreshToken: sandbox.issueRefreshToken(),
  };
}

/** Fills the credentials, and the OAuth host when the context has one. */
export async function fillForm(
  { popup, oauthHost }: ScenarioContext,
  credentials: Credentials,
): Promise<void> {
  await popup.fillCredentials(credentials);
  if (oauthHost) await popup.fill('OAuth host', oauthHost);
}

/** Saves working credentials and gets a first token; returns what was saved. */
export async function saveAndRefresh(ctx: ScenarioContext): Promise<Credentials> {
  const { popup, sandbox } = ctx;
  const credentials = credentialsFor(sandbox);
  await fillForm(ctx, credentials);
  expect(await popup.save()).toContain('Saved');
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  return credentials;
}

/** The `refresh_token` a recorded token request carried; undefined without a request. */
export function refreshTokenIn(request: RecordedRequest | undefined): unknown {
  if (!request) return undefined;
  return (JSON.parse(request.bodyText) as Record<string, unknown>).refresh_token;
}

function bodyOf(sandbox: Sandbox, index: number): Record<string, unknown> {
  const request = sandbox.tokenRefreshRequests()[index];
  if (!request) throw new Error(`no token request #${index}`);
  return JSON.parse(request.bodyText) as Record<string, unknown>;
}

export const coreScenarios: Scenario[] = [
  {
    name: '"Refresh and copy" copies the new token once it is stored, and says which one and until when',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      const status = await popup.refreshAndCopy();
      const issued = sandbox.lastIssued();
      expect(sandbox.tokenRefreshRequests()).toHaveLength(2);
      expect(await popup.clipboardText()).toBe(issued?.accessToken);
      expect(status).toMatch(/^Copied the new access token ending ….{4}, which expires at .+\.$/);
      expect(status).toContain(issued?.accessToken.slice(-4));
      expect(status).not.toContain(issued?.accessToken.slice(0, 12));
    },
  },
  {
    name: 'saving credentials and refreshing shows the token the sandbox issued, masked until revealed',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      const credentials = await saveAndRefresh(ctx);
      const issued = sandbox.lastIssued();
      expect(issued).toBeDefined();
      expect(await popup.accessTokenShown()).not.toContain(issued?.accessToken);
      expect(await popup.revealAccessToken()).toBe(issued?.accessToken);
      expect(sandbox.tokenRefreshRequests()).toHaveLength(1);
      expect(bodyOf(sandbox, 0)).toEqual({
        grant_type: 'refresh_token',
        refresh_token: credentials.refreshToken,
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      });
    },
  },
  {
    name: 'copy puts exactly the access token, or the header line, on the clipboard',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      const token = sandbox.lastIssued()?.accessToken;
      expect(await popup.copyAccessToken()).toContain('Copied');
      expect(await popup.clipboardText()).toBe(token);
      await popup.copyAsHeader();
      expect(await popup.clipboardText()).toBe(`Authorization: Bearer ${token}`);
    },
  },
  {
    name: 'the countdown goes down every second and survives reopening the popup',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      const first = await popup.countdown();
      expect(first).toMatch(/^(0:59:\d\d|1:00:00)$/);
      await expect.poll(() => popup.countdown(), { timeout: 4000 }).not.toBe(first);
      const seconds = (text: string) => text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
      expect(seconds(await popup.countdown())).toBeLessThan(seconds(first));
      const token = sandbox.lastIssued()?.accessToken;
      await popup.open();
      expect(seconds(await popup.countdown())).toBeLessThan(seconds(first));
      expect(await popup.revealAccessToken()).toBe(token);
    },
  },
  {
    name: 'a second refresh sends the rotated refresh token and stores the new one',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      const credentials = await saveAndRefresh(ctx);
      const rotated = sandbox.lastIssued()?.refreshToken;
      expect(rotated).toBeTruthy();
      expect(rotated).not.toBe(credentials.refreshToken);
      expect(sandbox.isRefreshTokenValid(credentials.refreshToken)).toBe(false);
      await popup.refresh();
      await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(2);
      expect(bodyOf(sandbox, 1).refresh_token).toBe(rotated);
      expect(await popup.alertText()).toBe('');
      await popup.open();
      expect(await popup.fieldValue('Refresh token')).toBe(sandbox.lastIssued()?.refreshToken);
    },
  },
  {
    name: 'a used refresh token shows invalid_grant in plain words and keeps the credentials',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      const credentials = credentialsFor(sandbox);
      credentials.refreshToken = 'not-a-token-the-sandbox-issued';
      await fillForm(ctx, credentials);
      await popup.save();
      await popup.refresh();
      await expect.poll(() => popup.alertText()).toContain('The refresh token was rejected');
      const alert = await popup.alertText();
      expect(alert).toContain('invalid_grant');
      expect(alert).toContain('authorizing the app again');
      await popup.open();
      expect(await popup.fieldValue('Client ID')).toBe(credentials.clientId);
      expect(await popup.fieldValue('Client secret')).toBe(credentials.clientSecret);
      expect(await popup.fieldValue('Refresh token')).toBe(credentials.refreshToken);
      expect(await popup.alertText()).toContain('The refresh token was rejected');
    },
  },
  {
    name: 'a server error keeps the last good token and the next refresh works',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      const good = sandbox.lastIssued()?.accessToken;
      const savedRefreshToken = await popup.fieldValue('Refresh token');
      sandbox.injectFault({ kind: 'html', status: 502 });
      await popup.refresh();
      await expect.poll(() => popup.alertText()).toContain('Dropbox Sign had a server error');
      expect(await popup.alertText()).toContain('HTTP 502');
      expect(await popup.revealAccessToken()).toBe(good);
      expect(await popup.fieldValue('Refresh token')).toBe(savedRefreshToken);
      await popup.refresh();
      await expect.poll(() => popup.alertText()).toBe('');
      expect(await popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
      expect(sandbox.lastIssued()?.accessToken).not.toBe(good);
    },
  },
];
