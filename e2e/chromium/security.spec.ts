import { chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { WORKER_FILE } from '../../scripts/one-file-worker';
import { PlaywrightPopup } from '../pages/playwright-popup';
import { credentialsFor, saveAndRefresh } from '../scenarios/core';
import { readDoc, readStorage, WorkerControl, writeLocal, type StorageAreas } from './devtools';
import { expect, test } from './fixtures';
import {
  CHROME_DIST,
  CHROMIUM_ARGS,
  chromiumPath,
  extensionWorker,
  hostMappingArgs,
  POPUP_PATH,
} from './launch';
import { storedDocument } from '../stored-document';

/** Only what the tests call in the browser. */
declare const chrome: {
  runtime?: {
    sendMessage(message: unknown): Promise<unknown>;
    sendMessage(extensionId: string, message: unknown): Promise<unknown>;
  };
};
declare function forge(extensionId: string, message: unknown): Promise<ForgeResult>;
declare function connect(
  extensionId: string,
): Promise<{ disconnected: boolean; error?: string; message?: unknown }>;

interface ForgeResult {
  answered: boolean;
  answer?: unknown;
  error?: string;
}

const FORGER_DIST = path.resolve('e2e/test-extensions/forger');

// ---------------------------------------------------------------------------------------------------
// Forged and malformed messages
// ---------------------------------------------------------------------------------------------------

/** Envelopes `parseEnvelope` must refuse: each gets no answer and changes nothing. */
const MALFORMED: { name: string; message: unknown }[] = [
  { name: 'unknown type', message: { type: 'deleteEverything', payload: {} } },
  { name: 'inherited name as type', message: { type: 'toString', payload: {} } },
  { name: 'prototype name as type', message: { type: '__proto__', payload: {} } },
  { name: 'no type', message: { payload: { profileId: 'x' } } },
  { name: 'type not a string', message: { type: ['refresh'], payload: {} } },
  { name: 'not an object', message: 'refresh' },
  { name: 'null', message: null },
  { name: 'an array', message: [{ type: 'getSnapshot', payload: {} }] },
  { name: 'saveProfile without payload', message: { type: 'saveProfile' } },
  { name: 'saveProfile with payload an array', message: { type: 'saveProfile', payload: [] } },
  { name: 'saveProfile with profile a string', message: { type: 'saveProfile', payload: { profile: 'x' } } },
  {
    name: 'saveProfile with a number field',
    message: { type: 'saveProfile', payload: { profile: { clientId: 42, refreshToken: 'hForged' } } },
  },
  {
    name: 'saveProfile with an object field',
    message: { type: 'saveProfile', payload: { profile: { refreshToken: { value: 'hForged' } } } },
  },
  {
    name: 'saveProfile with a non-string id',
    message: { type: 'saveProfile', payload: { profile: { id: 1, refreshToken: 'hForged' } } },
  },
  {
    name: 'saveProfile with a null field',
    message: { type: 'saveProfile', payload: { profile: { clientSecret: null, refreshToken: 'hForged' } } },
  },
  { name: 'refresh without payload', message: { type: 'refresh' } },
  { name: 'refresh with an empty profile id', message: { type: 'refresh', payload: { profileId: '' } } },
  { name: 'refresh with a numeric profile id', message: { type: 'refresh', payload: { profileId: 1 } } },
  { name: 'refresh with payload a string', message: { type: 'refresh', payload: 'p-1' } },
];

test('malformed messages from the extension’s own page get no answer and change nothing', async ({
  popup,
  sandbox,
}) => {
  await saveAndRefresh({ popup, sandbox });
  const { profile } = await readDoc(popup.page);
  const before = await readStorage(popup.page);
  const requestsBefore = sandbox.requests.length;

  // The real popup page itself sends them, so the sender check passes and only the envelope check is left.
  const outcomes = await popup.page.evaluate(async (cases) => {
    const results: { name: string; answer: string }[] = [];
    for (const { name, message } of cases) {
      try {
        const answer = await chrome.runtime?.sendMessage(message);
        results.push({ name, answer: answer === undefined ? 'no answer' : JSON.stringify(answer) });
      } catch (error) {
        results.push({ name, answer: `error: ${(error as Error).message}` });
      }
    }
    return results;
  }, MALFORMED);
  // Chromium resolves with undefined when every listener declines to answer; an error would do as well.
  for (const outcome of outcomes) {
    expect(outcome.answer, outcome.name).toMatch(/^(no answer|error: .*)$/);
  }

  // The listener is alive and still answers a well-formed message from this page: the refusals were choices.
  const snapshot = await popup.page.evaluate(() =>
    chrome.runtime?.sendMessage({ type: 'getSnapshot', payload: {} }),
  );
  expect(snapshot).toMatchObject({ activeProfileId: profile.id });

  expect(await readStorage(popup.page)).toEqual(before);
  expect(sandbox.requests.length).toBe(requestsBefore); // no refresh was started
  await popup.open();
  expect(await popup.alertText()).toBe('');
});

/** Our extension and the test-only forger side by side, as two extensions a user has installed. */
async function launchWithForger(sandboxPort: number): Promise<BrowserContext> {
  const both = `${CHROME_DIST},${FORGER_DIST}`;
  return chromium.launchPersistentContext('', {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      `--disable-extensions-except=${both}`,
      `--load-extension=${both}`,
      ...CHROMIUM_ARGS,
      ...hostMappingArgs(sandboxPort),
    ],
  });
}

async function workerOf(context: BrowserContext, script: string): Promise<Worker> {
  const find = () => context.serviceWorkers().find((w) => w.url().endsWith(`/${script}`));
  await expect.poll(() => find() !== undefined, { message: `the worker ${script}` }).toBe(true);
  return find() as Worker;
}

test('another installed extension gets no answer from the worker and changes nothing', async ({
  sandbox,
}) => {
  const context = await launchWithForger(sandbox.port);
  try {
    const ours = await workerOf(context, WORKER_FILE);
    const forger = await workerOf(context, 'background.js');
    const ourId = new URL(ours.url()).host;
    expect(new URL(forger.url()).host).not.toBe(ourId);

    // A user of our extension with working credentials.
    const page = await context.newPage();
    const popup = new PlaywrightPopup(page, `chrome-extension://${ourId}/${POPUP_PATH}`);
    await popup.open();
    const credentials = await saveAndRefresh({ popup, sandbox });
    const { profile } = await readDoc(ours);
    const before = await readStorage(ours);
    const requestsBefore = sandbox.requests.length;

    const forged = {
      type: 'saveProfile',
      payload: {
        profile: {
          id: profile.id,
          name: 'Forged',
          clientId: 'forged-client',
          clientSecret: 'forged-secret',
          refreshToken: 'hForgedRefreshToken',
          oauthHost: 'https://attacker.example',
          clientAuth: 'body',
        },
      },
    };
    const results = {
      save: await forger.evaluate(([id, message]) => forge(id, message), [ourId, forged] as const),
      snapshot: await forger.evaluate(([id]) => forge(id, { type: 'getSnapshot', payload: {} }), [
        ourId,
      ] as const),
      refresh: await forger.evaluate(
        ([id, profileId]) => forge(id, { type: 'refresh', payload: { profileId } }),
        [ourId, profile.id] as const,
      ),
      port: await forger.evaluate(([id]) => connect(id), [ourId] as const),
    };
    // No answer at all: the worker listens to its own pages only (no onMessageExternal, no
    // externally_connectable), so Chromium has no receiver for another extension's message.
    for (const result of [results.save, results.snapshot, results.refresh]) {
      expect(result.answered).toBe(false);
      expect(result.error).toContain('Could not establish connection');
    }
    expect(JSON.stringify(results)).not.toContain(credentials.clientSecret);
    expect(results.port.disconnected).toBe(true);

    expect(await readStorage(ours)).toEqual(before);
    expect(sandbox.requests.length).toBe(requestsBefore);
    await popup.open();
    expect(await popup.fieldValue('Client secret')).toBe(credentials.clientSecret);
    expect(await popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
  } finally {
    await context.close();
  }
});

test('a web page cannot reach the extension, its files or its messages', async ({
  context,
  extensionId,
  sandbox,
}) => {
  const page = await context.newPage();
  const probe = async (target: Page) =>
    target.evaluate(async (id) => {
      const runtime = typeof chrome === 'undefined' ? undefined : chrome.runtime;
      let send = 'no chrome.runtime';
      if (runtime) {
        try {
          await runtime.sendMessage(id, { type: 'getSnapshot', payload: {} });
          send = 'answered';
        } catch (error) {
          send = `error: ${(error as Error).message}`;
        }
      }
      let file: string;
      try {
        await fetch(`chrome-extension://${id}/manifest.json`);
        file = 'fetched';
      } catch (error) {
        file = `error: ${(error as Error).name}`;
      }
      return { hasRuntime: runtime !== undefined, send, file };
    }, extensionId);

  // A page on the very host the extension talks to (served by the sandbox), a blank page and a data: URL.
  for (const url of ['https://app.hellosign.com/', 'about:blank', 'data:text/html,<title>web</title>']) {
    await page.goto(url);
    const result = await probe(page);
    expect(result, url).toEqual({ hasRuntime: false, send: 'no chrome.runtime', file: 'error: TypeError' });
  }
  expect(sandbox.tokenRefreshRequests()).toHaveLength(0);
});

// ---------------------------------------------------------------------------------------------------
// No secret in any console
// ---------------------------------------------------------------------------------------------------

test('no secret appears in any console output of the pages or the worker, errors included', async ({
  popup,
  sandbox,
  context,
  extensionId,
  consoleLines,
}) => {
  test.setTimeout(90_000);
  // The capture and the search work, for the worker and the page, so this test can fail: a secret-like canary
  // logged in each is found.
  const canaries = { worker: randomBytes(24).toString('base64'), page: randomBytes(24).toString('hex') };
  const worker = await extensionWorker(context);
  await worker.evaluate((canary) => console.error('capture check: worker', canary), canaries.worker);
  await popup.page.evaluate(
    (canary) => console.error(`capture check: page ${canary.slice(4, 30)}`),
    canaries.page,
  );
  await expect.poll(() => leakedPiece(canaries.worker, consoleLines)).toBeDefined();
  await expect.poll(() => leakedPiece(canaries.page, consoleLines)).toBeDefined();

  const refreshTokens: string[] = [];
  const keepIssuedRefreshToken = () => {
    const token = sandbox.lastIssued()?.refreshToken;
    if (token) refreshTokens.push(token);
  };
  const credentials = await saveAndRefresh({ popup, sandbox });
  refreshTokens.push(credentials.refreshToken);
  keepIssuedRefreshToken();

  const failures: [Parameters<typeof sandbox.injectFault>[0], number, string][] = [
    [{ kind: 'status', status: 500 }, 1, 'Dropbox Sign had a server error'],
    [{ kind: 'html', status: 502 }, 1, 'HTML page'],
    [{ kind: 'drop' }, 2, 'Could not reach app.hellosign.com'],
    [{ kind: 'malformed-json' }, 1, 'The answer was not the JSON Dropbox Sign sends'],
    [
      {
        kind: 'json',
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The refresh token is invalid' },
      },
      1,
      'The refresh token was rejected',
    ],
  ];
  for (const [fault, times, expected] of failures) {
    sandbox.injectFault(fault, times);
    await popup.refresh();
    await expect.poll(() => popup.alertText()).toContain(expected);
  }
  await popup.open();
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toBe('');
  keepIssuedRefreshToken();

  // A refresh cut off by a worker stop: its rotated refresh token is lost; the worker logs at its next start.
  const control = await WorkerControl.attach(context, popup.page, extensionId);
  const beforeLost = sandbox.lastIssued()?.accessToken;
  const hold = sandbox.holdNext();
  await popup.page.getByRole('button', { name: 'Refresh now' }).click();
  expect((await hold.arrived).bodyText).toContain(refreshTokens.at(-1) ?? '?');
  await control.stop();
  // Answered to a connection nobody reads any more: the server has rotated the token all the same.
  hold.release();
  expect(await hold.outcome).toEqual({ kind: 'answered', status: 200 });
  expect(sandbox.lastIssued()?.accessToken).not.toBe(beforeLost);
  keepIssuedRefreshToken();
  await popup.open();
  await expect.poll(() => popup.alertText()).toContain('interrupted');
  // The new worker's console is captured too.
  const restarted = await workerOf(context, WORKER_FILE);
  await restarted.evaluate((canary) => console.error(`capture check: restarted ${canary}`), canaries.page);
  await expect.poll(() => consoleLines).toContain(`capture check: restarted ${canaries.page}`);

  // The stored token was rotated away: a real invalid_grant. The user pastes a new one and gets going again.
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toContain('The refresh token was rejected');
  const pasted = sandbox.issueRefreshToken();
  refreshTokens.push(pasted);
  await popup.fill('Refresh token', pasted);
  await popup.save();
  await popup.refresh();
  await expect.poll(() => popup.alertText()).toBe('');
  keepIssuedRefreshToken();
  await popup.revealAccessToken();
  await popup.copyAccessToken();
  await popup.open();

  const secrets = [credentials.clientSecret, ...new Set(refreshTokens), ...sandbox.issuedAccessTokens()];
  expect(new Set(refreshTokens).size).toBeGreaterThanOrEqual(5);
  expect(sandbox.issuedAccessTokens().length).toBeGreaterThanOrEqual(4);
  for (const secret of secrets) {
    const piece = leakedPiece(secret, consoleLines);
    expect(piece, `a piece of a secret in the console: ${piece?.slice(0, 4)}…`).toBeUndefined();
  }
});

/** Any 16 characters in a row of `secret` in the lines: a leak, also when truncated or split. */
function leakedPiece(secret: string, lines: string[]): string | undefined {
  const all = lines.join('\n');
  for (let i = 0; i + 16 <= secret.length; i += 1) {
    const piece = secret.slice(i, i + 16);
    if (all.includes(piece)) return piece;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Stored data that cannot be read
// ---------------------------------------------------------------------------------------------------

function backups(storage: StorageAreas): unknown[] {
  return Object.entries(storage.local)
    .filter(([key]) => /^unreadable-backup-\d+$/.test(key))
    .map(([, value]) => value);
}

test('stored data that is not an object is reported, the form still works, and a save keeps a copy', async ({
  popup,
  sandbox,
  context,
}) => {
  const worker = await extensionWorker(context);
  await writeLocal(worker, { data: 'this is not the stored document' });
  await popup.open();
  await expect
    .poll(() => popup.alertText())
    .toContain('Your saved data could not be read (it is not an object)');
  await expect(popup.page.getByLabel('Client ID', { exact: true })).toBeVisible();
  expect((await readStorage(worker)).local.data).toBe('this is not the stored document');

  await popup.fillCredentials(credentialsFor(sandbox));
  expect(await popup.save()).toContain('Saved');
  const after = await readStorage(worker);
  expect(backups(after)).toEqual(['this is not the stored document']);
  expect(storedDocument(after.local)).toMatchObject({
    schemaVersion: expect.any(Number),
    profiles: [expect.anything()],
  });
  await popup.open();
  expect(await popup.alertText()).toBe('');
});

test('data from a newer schema is reported and never overwritten: not by opening, a worker start or a save', async ({
  popup,
  sandbox,
  context,
  extensionId,
}) => {
  const future = {
    schemaVersion: 99,
    vault: { salt: 'AAAA', iterations: 600000 },
    profiles: [{ id: 'p-future', sealed: 'opaque' }],
  };
  const worker = await extensionWorker(context);
  await writeLocal(worker, { data: future });
  await popup.open();
  await expect
    .poll(() => popup.alertText())
    .toContain('Your saved data was written by a newer version of this extension (schema 99)');
  expect(await popup.alertText()).toContain('nothing is changed');
  await expect(popup.page.getByLabel('Client ID', { exact: true })).toBeVisible();

  // A worker start runs the recovery of interrupted refreshes; that must not write either.
  const control = await WorkerControl.attach(context, popup.page, extensionId);
  await control.stop();
  await popup.open();
  await expect.poll(() => control.runningStatus()).toBe('running');
  await expect.poll(() => popup.alertText()).toContain('schema 99');
  const afterOpening = await readStorage(popup.page);
  expect(afterOpening.local).toEqual({ data: future });

  // Saving anyway is refused with a reason, and still nothing is written: that version's data stays whole.
  await popup.fillCredentials(credentialsFor(sandbox));
  expect(await popup.save()).toContain('Not saved: your saved data is from a newer version');
  expect((await readStorage(popup.page)).local).toEqual({ data: future });
  expect(sandbox.requests).toHaveLength(0);
});

test('one damaged profile is reported, the good one still works, and a save keeps the raw original', async ({
  popup,
  sandbox,
  context,
}) => {
  const good = {
    id: 'p-good',
    name: 'My API app',
    clientId: sandbox.app.clientId,
    clientSecret: sandbox.app.clientSecret,
    refreshToken: sandbox.issueRefreshToken(),
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
  };
  const now = Date.now();
  // Schema 1, as the first released version wrote it (later versions migrate it on read).
  const original = {
    schemaVersion: 1,
    activeProfileId: 'p-good',
    profiles: [good, { id: 7, name: 42, refreshToken: ['broken'] }],
    tokens: {
      'p-good': {
        accessToken: 'stored-access-token-1234',
        tokenType: 'Bearer',
        receivedAt: now,
        expiresAt: now + 1800_000,
      },
    },
  };
  const worker = await extensionWorker(context);
  await writeLocal(worker, { data: original });
  await popup.open();
  await expect
    .poll(() => popup.alertText())
    .toContain('Part of your saved data could not be read (1 damaged profile)');
  // No crash: the good profile's token and countdown render, and its credentials fill the form.
  expect(await popup.revealAccessToken()).toBe('stored-access-token-1234');
  expect(await popup.countdown()).toMatch(/^0:(29|30):\d\d$/);
  expect(await popup.fieldValue('Client ID')).toBe(good.clientId);
  expect((await readStorage(worker)).local).toEqual({ data: original });

  expect(await popup.save()).toContain('Saved');
  const after = await readStorage(worker);
  expect(backups(after)).toEqual([original]);
  const data = storedDocument(after.local) as typeof original;
  expect(data.profiles).toEqual([good]);
  expect(data.tokens['p-good'].accessToken).toBe('stored-access-token-1234');
  await popup.open();
  expect(await popup.alertText()).toBe('');

  // The good profile is fully usable.
  await popup.refresh();
  await expect.poll(() => popup.revealAccessToken()).toBe(sandbox.lastIssued()?.accessToken);
});
