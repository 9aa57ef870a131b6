import { expect } from '@playwright/test';
import type { Fault } from '../sandbox/server';
import { saveAndRefresh, type ScenarioContext } from './core';

/**
 * One row per way the token endpoint can fail. For each: the message is specific and says what to do, the
 * stored credentials and the last good token are unchanged, and the next refresh works.
 */
export interface FaultCase {
  name: string;
  fault: Fault;
  /** How many POSTs the fault answers; a browser retries a POST once on a dropped reused connection. */
  times?: number;
  /** Texts the alert must contain: the specific title, and the evidence from the answer. */
  expected: string[];
}

export const FAULT_CASES: FaultCase[] = [
  {
    name: 'dropped connection',
    fault: { kind: 'drop' },
    times: 2,
    expected: ['Could not reach app.hellosign.com', 'Check your connection'],
  },
  {
    name: 'HTTP 500 with the Dropbox Sign error envelope',
    fault: { kind: 'status', status: 500 },
    expected: ['Dropbox Sign had a server error', 'HTTP 500', 'Try again in a minute'],
  },
  {
    name: '502 with an HTML page',
    fault: { kind: 'html', status: 502 },
    expected: ['Dropbox Sign had a server error', 'HTTP 502', 'HTML page'],
  },
  {
    name: 'malformed JSON',
    fault: { kind: 'malformed-json' },
    expected: ['The answer was not the JSON Dropbox Sign sends', 'malformed'],
  },
  {
    name: 'empty body',
    fault: { kind: 'empty-body', status: 200 },
    expected: ['The answer was not the JSON Dropbox Sign sends', 'The body was empty'],
  },
  {
    name: '200 without access_token',
    fault: { kind: 'json', status: 200, body: { token_type: 'Bearer', expires_in: 3600 } },
    expected: ['The answer had no access token', 'Fields received: token_type, expires_in'],
  },
  {
    name: '429 with rate-limit headers',
    fault: { kind: 'rate-limit', resetInSeconds: 120 },
    expected: ['rate limiting', 'HTTP 429', 'exceeded_rate', 'Try again after'],
  },
  {
    name: 'invalid_grant in the Dropbox Sign envelope',
    fault: {
      kind: 'json',
      status: 401,
      body: {
        error: { error_msg: 'Unauthorized user. No credentials supplied.', error_name: 'unauthorized' },
      },
    },
    expected: [
      'Dropbox Sign did not accept the credentials',
      'HTTP 401',
      'unauthorized',
      'No credentials supplied',
    ],
  },
];

export async function runFaultCase(ctx: ScenarioContext, faultCase: FaultCase): Promise<void> {
  const { popup, sandbox } = ctx;
  await saveAndRefresh(ctx);
  const goodToken = sandbox.lastIssued()?.accessToken;
  const storedRefreshToken = await popup.fieldValue('Refresh token');
  const clientSecret = await popup.fieldValue('Client secret');

  sandbox.injectFault(faultCase.fault, faultCase.times ?? 1);
  await popup.refresh();
  await expect.poll(() => popup.alertText()).not.toBe('');
  const alert = await popup.alertText();
  for (const text of faultCase.expected) expect(alert).toContain(text);
  expect(alert).toContain('unchanged');

  await popup.open();
  expect(await popup.fieldValue('Refresh token')).toBe(storedRefreshToken);
  expect(await popup.fieldValue('Client secret')).toBe(clientSecret);
  expect(await popup.revealAccessToken()).toBe(goodToken);
  expect(await popup.alertText()).toContain(faultCase.expected[0]);

  await popup.refresh();
  await expect.poll(() => popup.alertText()).toBe('');
  expect(await popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
  expect(sandbox.lastIssued()?.accessToken).not.toBe(goodToken);
}
