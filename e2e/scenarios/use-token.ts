import { expect } from '@playwright/test';
import { codeSnippet, type SnippetInput } from '../../src/core/snippets';
import { DEFAULT_API_HOST } from '../../src/core/account';
import { DEFAULT_OAUTH_HOST } from '../../src/core/profile';
import { fillForm, saveAndRefresh, type Scenario, type ScenarioContext } from './core';

/**
 * "Use the token" (issue 12), in every browser: verify against the sandbox's `GET /v3/account`, the last
 * exchange with its secrets masked, "Copy code", and the history that shows rotation.
 */
const SANDBOX_EMAIL = 'me@dropboxsign.com';

/** The hosts the profile uses: the sandbox's own URL where the browser cannot reach the default host. */
function hostsOf(ctx: ScenarioContext): { oauthHost: string; apiHost: string } {
  return ctx.oauthHost
    ? { oauthHost: ctx.oauthHost, apiHost: ctx.oauthHost }
    : { oauthHost: DEFAULT_OAUTH_HOST, apiHost: DEFAULT_API_HOST };
}

export const useTokenScenarios: Scenario[] = [
  {
    name: 'Verify token calls GET /v3/account with the token and shows the account, its quotas and rate limit; a 401 and a missing scope (403) are explained',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      const token = sandbox.lastIssued()?.accessToken;
      const shown = await popup.verifyToken();
      expect(shown).toContain(SANDBOX_EMAIL);
      expect(shown).toContain('5008b25c7f67153e57d5a357b1687968068fb465');
      expect(shown).toMatch(/Rate limit: \d+ of \d+ requests left/);
      const [request, ...more] = sandbox.accountRequests();
      expect(more).toHaveLength(0);
      expect(request?.headers.authorization).toBe(`Bearer ${token}`);
      // The inspector has the verify call, its token masked.
      const exchange = await popup.lastExchange('verify');
      expect(exchange.summary).toMatch(/^GET \/v3\/account → 200/);
      expect(exchange.request).toContain('Authorization: Bearer ');
      expect(exchange.request).not.toContain(token);
      expect(exchange.response).toContain(SANDBOX_EMAIL);

      // A refused token (401) is explained, with a refresh offered.
      sandbox.injectAccountFault({
        kind: 'json',
        status: 401,
        body: { error: { error_msg: 'Unauthorized api key', error_name: 'unauthorized' } },
      });
      const expired = await popup.verifyToken();
      expect(expired).toContain('expired or was revoked');
      expect(expired).toContain('Refresh the token');

      // An app whose scopes allow neither basic_account_info nor account_access.
      const narrow = sandbox.createApp({ scopes: ['request_signature'] });
      await fillForm(ctx, {
        clientId: narrow.clientId,
        clientSecret: narrow.clientSecret,
        refreshToken: sandbox.issueRefreshToken(narrow),
      });
      expect(await popup.save()).toContain('Saved');
      await popup.refresh();
      await expect.poll(() => sandbox.lastIssued()?.accessToken).toBeTruthy();
      const forbidden = await popup.verifyToken();
      expect(forbidden).toContain('basic_account_info');
      expect(forbidden).toContain('account_access');
      expect(sandbox.accountRequests()).toHaveLength(3);
    },
  },
  {
    name: 'Last exchange shows the refresh as sent and answered, secrets masked until shown; Copy code puts the call as a program on the clipboard, secrets from the environment unless included',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      const credentials = await saveAndRefresh(ctx);
      const rotated = sandbox.lastIssued();
      const masked = await popup.lastExchange('refresh');
      expect(masked.summary).toMatch(/^POST \/oauth\/token\?refresh → 200/);
      expect(masked.request).toContain('"grant_type": "refresh_token"');
      expect(masked.request).toContain(`"client_id": "${credentials.clientId}"`);
      for (const secret of [credentials.clientSecret, credentials.refreshToken]) {
        expect(masked.request).not.toContain(secret);
      }
      for (const secret of [rotated?.accessToken, rotated?.refreshToken]) {
        expect(masked.response).not.toContain(secret);
      }
      await popup.toggleExchangeSecrets();
      const shown = await popup.lastExchange();
      expect(shown.request).toContain(credentials.clientSecret);
      expect(shown.request).toContain(credentials.refreshToken);
      expect(shown.response).toContain(rotated?.accessToken);

      // Copy code: the call as a program, secrets from the environment unless included.
      const input: SnippetInput = {
        call: 'refresh',
        language: 'python',
        form: 'http',
        ...hostsOf(ctx),
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        // The stored refresh token is the rotated one.
        refreshToken: sandbox.lastIssued()?.refreshToken ?? '',
        accessToken: sandbox.lastIssued()?.accessToken ?? '',
        clientAuth: 'body',
        includeSecrets: false,
      };
      expect(await popup.copyCode({ language: 'python', call: 'refresh', form: 'http' })).toContain('Copied');
      const plain = await popup.clipboardText();
      expect(plain).toBe(codeSnippet(input));
      expect(plain).toContain('DROPBOX_SIGN_CLIENT_SECRET');
      expect(plain).not.toContain(credentials.clientSecret);

      await popup.copyCode({ language: 'typescript', call: 'account', form: 'sdk', includeSecrets: true });
      const withSecrets = await popup.clipboardText();
      expect(withSecrets).toBe(
        codeSnippet({ ...input, call: 'account', language: 'typescript', form: 'sdk', includeSecrets: true }),
      );
      expect(withSecrets).toContain(sandbox.lastIssued()?.accessToken);
    },
  },
  {
    name: 'History lists each refresh and says whether the refresh token rotated; Clear history empties it',
    async run(ctx) {
      const { popup, sandbox } = ctx;
      await saveAndRefresh(ctx);
      await popup.refresh();
      await expect.poll(() => sandbox.tokenRefreshRequests().length).toBe(2);
      await expect.poll(async () => (await popup.history()).rows.length, { timeout: 15_000 }).toBe(2);
      const shown = await popup.history();
      expect(shown.rotation).toBe('Refresh tokens rotate on refresh: observed 2 of 2 times');
      expect(shown.lifetime).toContain('1 h');
      const newest = sandbox.lastIssued()?.accessToken ?? '';
      expect(shown.rows[0]).toContain(`…${newest.slice(-4)}`);
      expect(shown.rows[0]).toContain('rotated');
      await popup.clearHistory();
      expect((await popup.history()).empty).toBe(true);
      // Cleared for good: a reopened popup reads it back empty from storage.
      await popup.open();
      expect((await popup.history()).empty).toBe(true);
    },
  },
];
