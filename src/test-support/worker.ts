/**
 * Test support for the worker and platform tests, which run against `@webext-core/fake-browser` (put in place
 * of `webextension-polyfill`, and reset before each test, by the Vitest setup file `fake-browser.ts`).
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { vi, type MockInstance } from 'vitest';
import type { Profile, ProfileInput } from '../core/profile';
import type { Envelope, MessageName, RequestOf, ResponseOf } from '../core/protocol';
import {
  assembleDocument,
  CURRENT_SCHEMA_VERSION,
  gatherSecrets,
  layoutOf,
  type StoredData,
  type VaultBlob,
} from '../core/stored-data';
import type { TokenState } from '../core/token-state';
import { deriveKeyBytes, open, seal } from '../core/vault-crypto';
import {
  DATA_KEY,
  HISTORY_KEY_PREFIX,
  IN_FLIGHT_KEY,
  PROFILE_KEY_PREFIX,
  VAULT_KEY,
} from '../platform/storage-keys';

export const TOKEN_URL = 'https://app.hellosign.com/oauth/token?refresh';
export const CLIENT_ID = 'cc91c61d00f8bb2ece1428035716b';
export const CLIENT_SECRET = '1d14434088507ffa390e6f5528465';
export const REFRESH_TOKEN = 'hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3';
export const ACCESS_TOKEN = 'MDZhYzBlMGI1YzQ0ZjI1ZjYzYmUyNmMzZWQ5ZGNmOGYyNmQxMmMyMmQ2NmNiY2M3NW=';

/** What the form submits for a new profile. */
export function profileInput(overrides: Partial<ProfileInput> = {}): ProfileInput {
  return {
    name: 'My API app',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH_TOKEN,
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
    ...overrides,
  };
}

export function storedProfile(overrides: Partial<Profile> = {}): Profile {
  return { id: 'p-1', ...profileInput(), ...overrides };
}

/**
 * Writes the stored document straight into the fake `storage.local`, as an earlier session would have: laid
 * out as the current schema stores it (an index and a part per profile, secrets in clear).
 */
export async function seedData(
  profiles: Profile[] = [storedProfile()],
  tokens: Record<string, TokenState> = {},
): Promise<void> {
  const data: StoredData = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    activeProfileId: profiles[0]?.id ?? null,
    profiles,
    tokens,
  };
  const { index, parts } = layoutOf(data);
  await fakeBrowser.storage.local.set({
    [DATA_KEY]: index,
    ...Object.fromEntries(Object.entries(parts).map(([id, part]) => [PROFILE_KEY_PREFIX + id, part])),
  });
}

/**
 * The stored document as it is now (a copy: the fake hands out its own objects), with its parts put back in
 * it (schema 3: the index's profile ids become the parts' profiles, their token states `tokens`, their
 * sealed secrets `vault.parts`), and the histories kept in clear beside it (HISTORY_KEY_PREFIX) as its
 * `history`, as the document held them before.
 */
export async function storedData(): Promise<StoredData | undefined> {
  return withStoredHistories(await fakeBrowser.storage.local.get(null));
}

/** The document among `items` (all of storage, or one `set`), with the clear histories in `items` as its `history`. */
export function withStoredHistories(items: Record<string, unknown>): StoredData | undefined {
  const data = assembleDocument(items[DATA_KEY], (id) => items[PROFILE_KEY_PREFIX + id]);
  if (data === undefined) return undefined;
  const doc = structuredClone(data) as StoredData;
  for (const [key, value] of Object.entries(items)) {
    if (!key.startsWith(HISTORY_KEY_PREFIX) || !Array.isArray(value)) continue;
    doc.history = { ...doc.history, [key.slice(HISTORY_KEY_PREFIX.length)]: structuredClone(value) };
  }
  return doc;
}

/** Everything in the fake `storage.local`, as the JSON a person could read from the profile on disk. */
export async function storedJson(): Promise<string> {
  return JSON.stringify(await fakeBrowser.storage.local.get(null));
}

/** The stored vault, if any. */
export async function storedVault(): Promise<VaultBlob | undefined> {
  const data = (await storedData()) as { vault?: VaultBlob } | undefined;
  return data?.vault;
}

/**
 * Opens the stored vault the way an attacker with the passphrase would: from the stored KDF parameters
 * alone. Proves the stored parameters are the ones the key was derived with.
 */
export async function openStoredVault(passphrase: string): Promise<unknown> {
  const vault = await storedVault();
  if (!vault) throw new Error('no vault is stored');
  const key = await deriveKeyBytes(passphrase, vault.kdf);
  if (vault.sealed) {
    const opened = await open(key, vault.sealed);
    if (!opened.ok) throw new Error(`the stored vault did not open: ${opened.reason}`);
    return opened.value;
  }
  // Schema 3: the check, then each profile's part, gathered as the one blob schema 2 sealed.
  if (!vault.check) throw new Error('the stored vault has no check');
  const check = await open(key, vault.check);
  if (!check.ok) throw new Error(`the stored vault did not open: ${check.reason}`);
  const values: Record<string, unknown> = {};
  for (const [id, sealed] of Object.entries(vault.parts ?? {})) {
    const opened = await open(key, sealed);
    if (!opened.ok) throw new Error(`the sealed part of ${id} did not open: ${opened.reason}`);
    values[id] = opened.value;
  }
  return gatherSecrets(values);
}

/** A profile's history as stored beside the document while the vault is on, opened with `passphrase`. */
export async function openStoredHistory(passphrase: string, profileId: string): Promise<unknown> {
  const vault = await storedVault();
  if (!vault) throw new Error('no vault is stored');
  const key = HISTORY_KEY_PREFIX + profileId;
  const stored = (await fakeBrowser.storage.local.get(key))[key] as
    { sealed?: NonNullable<VaultBlob['sealed']> } | undefined;
  if (!stored?.sealed) throw new Error(`no sealed history is stored for ${profileId}`);
  const opened = await open(await deriveKeyBytes(passphrase, vault.kdf), stored.sealed);
  if (!opened.ok) throw new Error(`the stored history did not open: ${opened.reason}`);
  return opened.value;
}

export async function storedInFlight(): Promise<unknown> {
  return (await fakeBrowser.storage.local.get(IN_FLIGHT_KEY))[IN_FLIGHT_KEY] ?? {};
}

/** Writes in-flight marks straight into the fake `storage.local`, as a worker stopped mid-refresh leaves them. */
export async function seedInFlight(marks: Record<string, { startedAt: number }>): Promise<void> {
  await fakeBrowser.storage.local.set({ [IN_FLIGHT_KEY]: marks });
}

/** The unlocked vault's key as kept in the fake `storage.session`, if any. */
export async function sessionVaultKey(): Promise<unknown> {
  return (await fakeBrowser.storage.session.get(VAULT_KEY))[VAULT_KEY];
}

/** A sender that is one of this extension's own pages: the only kind the worker answers. */
export function ownPageSender() {
  return { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('src/popup/index.html') };
}

/** Delivers one message the way the browser would and returns the worker's answer (first listener's). */
export async function send<K extends MessageName>(
  type: K,
  payload: RequestOf<K>,
  sender: { id?: string; url?: string } = ownPageSender(),
): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { type, payload };
  const answers = await fakeBrowser.runtime.onMessage.trigger(envelope, sender, () => undefined);
  return answers[0] as unknown as ResponseOf<K>;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function tokenResponse(overrides: Record<string, unknown> = {}): Response {
  return jsonResponse(200, {
    access_token: ACCESS_TOKEN,
    expires_in: 86400,
    refresh_token: REFRESH_TOKEN,
    token_type: 'Bearer',
    ...overrides,
  });
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export type FetchSpy = MockInstance<typeof fetch>;

/**
 * Replaces `fetch` for one test (the config's `restoreMocks` puts the real one back). `impl` may answer
 * directly or with a promise; a throw becomes a rejection, as a failed fetch is.
 */
export function stubFetch(
  impl: (input: string | URL | Request, init?: RequestInit) => Response | Promise<Response>,
): FetchSpy {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => await impl(input, init));
}

/** The one call a stubbed fetch received, with its init typed. */
export function fetchCall(spy: FetchSpy, index = 0): { url: string; init: RequestInit } {
  const call = spy.mock.calls[index];
  if (!call) throw new Error(`fetch was called ${spy.mock.calls.length} times, not ${index + 1}`);
  const [input, init] = call;
  return { url: input instanceof Request ? input.url : input.toString(), init: init ?? {} };
}

/** The JSON body one stubbed fetch call sent, parsed. */
export function sentJson(spy: FetchSpy, index = 0): unknown {
  const { body } = fetchCall(spy, index).init;
  if (typeof body !== 'string') throw new Error('fetch was called without a JSON text body');
  return JSON.parse(body);
}

type StorageSet = (items: Record<string, unknown>) => Promise<void>;

/**
 * Spies on the fake `storage.local.set`, typed as the promise form: the browser types' callback overload
 * would otherwise be picked, and an async stand-in would not fit it.
 */
export function spyOnLocalSet(): MockInstance<StorageSet> {
  return vi.spyOn(fakeBrowser.storage.local as unknown as { set: StorageSet }, 'set');
}

type PermissionsCheck = (permissions: { origins?: string[] }) => Promise<boolean>;

/**
 * Spies on `permissions.contains` or `.request`, which the fake browser leaves unimplemented (they throw).
 * Typed as the promise form: the browser types' callback overload would otherwise be picked.
 */
export function spyOnPermissions(method: 'contains' | 'request'): MockInstance<PermissionsCheck> {
  return vi.spyOn(fakeBrowser.permissions as unknown as Record<typeof method, PermissionsCheck>, method);
}

/**
 * What a vault sealed by an older version gives after its clear copy was edited: the stored vault (set and
 * unlocked) rewritten as that version stored it, one schema-2 document with one sealed blob, which then held
 * only each profile's client secret and refresh token (not yet its OAuth host, client ID and client
 * authentication), and `edit` applied to the first profile's clear copy.
 */
export async function storeLegacyVaultEdited(edit: Record<string, unknown>): Promise<void> {
  const key = (await sessionVaultKey()) as string;
  const doc = (await storedData()) as (StoredData & { vault: VaultBlob }) | undefined;
  if (!doc?.vault.check) throw new Error('no schema-3 vault is stored');
  const values: Record<string, unknown> = {};
  for (const [id, sealed] of Object.entries(doc.vault.parts ?? {})) {
    const opened = await open(key, sealed);
    if (!opened.ok) throw new Error('could not open the test vault');
    values[id] = opened.value;
  }
  const secrets = gatherSecrets(values);
  for (const entry of Object.values(secrets.profiles)) {
    delete entry.oauthHost;
    delete entry.clientId;
    delete entry.clientAuth;
  }
  const { check: _check, parts: _parts, ...header } = doc.vault;
  const [first, ...rest] = doc.profiles;
  const legacy = {
    schemaVersion: 2,
    activeProfileId: doc.activeProfileId,
    profiles: [{ ...first, ...edit }, ...rest],
    tokens: doc.tokens,
    vault: { ...header, sealed: await seal(key, secrets) },
  };
  const partKeys = Object.keys(await fakeBrowser.storage.local.get(null)).filter((k) =>
    k.startsWith(PROFILE_KEY_PREFIX),
  );
  await fakeBrowser.storage.local.remove(partKeys);
  await fakeBrowser.storage.local.set({ [DATA_KEY]: legacy });
}

/**
 * Runs `afterRead(n)` after the n-th `storage.local.get` (from 1) has read, before its answer is returned:
 * a write landing between two reads. Gives a function that tells how many reads there were.
 */
export function betweenLocalReads(afterRead: (read: number) => Promise<void>): () => number {
  const local = fakeBrowser.storage.local as unknown as {
    get: (keys?: unknown) => Promise<Record<string, unknown>>;
  };
  const get = local.get.bind(local);
  let reads = 0;
  vi.spyOn(local, 'get').mockImplementation(async (keys) => {
    const got = await get(keys);
    await afterRead(++reads);
    return got;
  });
  return () => reads;
}
