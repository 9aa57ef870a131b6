import { expect } from '@playwright/test';
import type { Credentials } from '../pages/popup';
import type { RecordedRequest, SandboxApp } from '../sandbox/server';
import { fillForm, refreshTokenIn, saveAndRefresh, type ScenarioContext } from './core';
import { storedDocument } from '../stored-document';

/**
 * Several profiles, each against its own sandbox app: every refresh must send that profile's own current
 * (rotated) refresh token to its own app and store the answer in that profile, also while another
 * profile's refresh is held at the server.
 */
export interface ProfilesContext extends ScenarioContext {
  /** Everything in the extension's `storage.local`, read from an extension page. */
  readLocalStorage(): Promise<Record<string, unknown>>;
}

/** A stored profile as the e2e tests read it from `storage.local` (no vault). */
export interface StoredProfile {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

interface StoredDoc {
  activeProfileId: string | null;
  profiles: StoredProfile[];
  tokens: Record<string, { accessToken?: string }>;
}

async function storedDoc(ctx: ProfilesContext): Promise<StoredDoc> {
  return storedDocument(await ctx.readLocalStorage()) as StoredDoc;
}

async function storedProfile(ctx: ProfilesContext, name: string): Promise<StoredProfile> {
  const profile = (await storedDoc(ctx)).profiles.find((p) => p.name === name);
  if (!profile) throw new Error(`no stored profile named ${name}`);
  return profile;
}

function clientIdIn(request: RecordedRequest | undefined): unknown {
  return request ? (JSON.parse(request.bodyText) as Record<string, unknown>).client_id : undefined;
}

const FIRST = 'My API app';
const SECOND = 'My API app 2';

/** Saves a second profile for `app` through "New profile"; returns its credentials. */
async function addSecondProfile(ctx: ProfilesContext, app: SandboxApp): Promise<Credentials> {
  const { popup, sandbox } = ctx;
  await popup.profileAction('New profile');
  await expect.poll(() => popup.activeProfileName()).toBe(SECOND);
  const credentials = {
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    refreshToken: sandbox.issueRefreshToken(app),
  };
  await fillForm(ctx, credentials);
  expect(await popup.save()).toContain('Saved');
  await popup.refresh();
  await expect.poll(() => popup.hasAccessToken()).toBe(true);
  return credentials;
}

export async function twoProfilesAlternatelyAndConcurrently(ctx: ProfilesContext): Promise<void> {
  const { popup, sandbox } = ctx;
  const second = sandbox.createApp();
  await saveAndRefresh(ctx);
  await addSecondProfile(ctx, second);
  expect(await popup.profileNames()).toEqual([FIRST, SECOND]);
  const appOf: Record<string, string> = { [FIRST]: sandbox.app.clientId, [SECOND]: second.clientId };

  // Alternately: each refresh carries the refresh token its own profile holds now, to its own app.
  for (const name of [FIRST, SECOND, FIRST, SECOND]) {
    await popup.switchProfile(name);
    await expect.poll(() => popup.activeProfileName()).toBe(name);
    const before = await storedProfile(ctx, name);
    await popup.refresh();
    const sent = sandbox.tokenRefreshRequests().at(-1);
    expect(refreshTokenIn(sent)).toBe(before.refreshToken);
    expect(clientIdIn(sent)).toBe(appOf[name]);
    await expect
      .poll(async () => (await storedProfile(ctx, name)).refreshToken)
      .not.toBe(before.refreshToken);
  }

  // Concurrently: the first profile's refresh is held at the server while the second one refreshes.
  await popup.switchProfile(FIRST);
  await expect.poll(() => popup.activeProfileName()).toBe(FIRST);
  const firstBefore = await storedProfile(ctx, FIRST);
  const hold = sandbox.holdNext();
  await popup.clickRefresh(1);
  expect(refreshTokenIn(await hold.arrived)).toBe(firstBefore.refreshToken);
  await popup.switchProfile(SECOND);
  await expect.poll(() => popup.activeProfileName()).toBe(SECOND);
  const secondBefore = await storedProfile(ctx, SECOND);
  await popup.refresh();
  expect(refreshTokenIn(sandbox.tokenRefreshRequests().at(-1))).toBe(secondBefore.refreshToken);
  hold.release();
  expect(await hold.outcome).toEqual({ kind: 'answered', status: 200 });

  // Each profile ends with a refresh token its own app still accepts, and its own access token.
  await expect
    .poll(async () => (await storedProfile(ctx, FIRST)).refreshToken)
    .not.toBe(firstBefore.refreshToken);
  const doc = await storedDoc(ctx);
  for (const profile of doc.profiles) {
    expect(sandbox.isRefreshTokenValid(profile.refreshToken)).toBe(true);
  }
  const [a, b] = doc.profiles;
  expect(a?.clientId).toBe(sandbox.app.clientId);
  expect(b?.clientId).toBe(second.clientId);
  expect(doc.tokens[a?.id ?? '']?.accessToken).not.toBe(doc.tokens[b?.id ?? '']?.accessToken);
}

export async function deleteAndUndo(ctx: ProfilesContext): Promise<void> {
  const { popup, sandbox } = ctx;
  await saveAndRefresh(ctx);
  await addSecondProfile(ctx, sandbox.createApp());
  const before = await storedDoc(ctx);
  const deleted = await storedProfile(ctx, SECOND);

  await popup.profileAction('Delete profile');
  await expect.poll(() => popup.profileNames()).toEqual([FIRST]);
  expect((await storedDoc(ctx)).profiles.map((p) => p.name)).toEqual([FIRST]);

  await popup.undoDelete();
  await expect.poll(() => popup.profileNames()).toEqual([FIRST, SECOND]);
  // Back as it was: same id, same refresh token (still valid at its app), same access token.
  const after = await storedDoc(ctx);
  expect(after.profiles).toEqual(before.profiles);
  expect(after.tokens).toEqual(before.tokens);
  expect(sandbox.isRefreshTokenValid(deleted.refreshToken)).toBe(true);
}

export async function duplicateAndRename(ctx: ProfilesContext): Promise<void> {
  const { popup } = ctx;
  await saveAndRefresh(ctx);
  const original = await storedProfile(ctx, FIRST);

  await popup.profileAction('Duplicate profile');
  await expect.poll(() => popup.activeProfileName()).toBe(`${FIRST} copy`);
  // The copy has the app's client ID and secret, its host, and no refresh token and no token of its own.
  const copy = await storedProfile(ctx, `${FIRST} copy`);
  expect(copy).toMatchObject({
    clientId: original.clientId,
    clientSecret: original.clientSecret,
    refreshToken: '',
  });
  expect(copy.id).not.toBe(original.id);
  expect((await storedDoc(ctx)).tokens[copy.id]?.accessToken).toBeUndefined();
  expect(await popup.hasAccessToken()).toBe(false);

  await popup.renameProfile('Staging');
  await expect.poll(() => popup.profileNames()).toEqual([FIRST, 'Staging']);
  expect((await storedProfile(ctx, 'Staging')).id).toBe(copy.id);
  // The original keeps its refresh token and token.
  expect(await storedProfile(ctx, FIRST)).toEqual(original);
}
