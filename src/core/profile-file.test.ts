import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_AUTH_MODES, type Profile } from './profile';
import {
  addImported,
  buildExport,
  EXPORT_FORMAT,
  exportFileName,
  IMPORT_PROBLEMS,
  newerVersionProblem,
  readImport,
  type ImportedProfile,
  type ImportResult,
} from './profile-file';
import { deleteProfile } from './profile-ops';
import { CURRENT_SCHEMA_VERSION, emptyData, type StoredData } from './stored-data';
import type { TokenState } from './token-state';
import { MAX_NAME_LENGTH, normalizeOauthHost } from './validate-profile';
import { deriveKeyBytes, fromBase64, seal, toBase64, type KdfParams } from './vault-crypto';

// Fast key derivation: these tests are about the file, not about PBKDF2's cost (see vault-crypto.test.ts).
vi.mock('./vault-crypto', async (importOriginal) =>
  (await import('../test-support/fast-vault-crypto')).fastVaultCrypto(
    await importOriginal<typeof import('./vault-crypto')>(),
  ),
);

const PASSPHRASE = 'correct horse battery staple';
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
/** Property runs derive keys each time; a busy machine must never turn that into a flaky timeout. */
const PROPERTY_TIMEOUT_MS = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

/** Every value distinctive, so a search of the file's text for it cannot hit anything else. */
function profile(key: string, overrides: Partial<Profile> = {}): Profile {
  return {
    id: `id-${key}-7f3a9c`,
    name: `Profile ${key}`,
    clientId: `client-id-${key}`,
    clientSecret: `client-secret-${key}-Qx81Zr`,
    refreshToken: `refresh-token-${key}-Lm27Wd`,
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'basic',
    ...overrides,
  };
}

const PROFILES: Profile[] = [
  profile('a', { name: 'Production' }),
  profile('b', { name: 'Staging', oauthHost: 'https://staging.example.com', clientAuth: 'both' }),
  profile('c', { name: 'Local', oauthHost: 'http://localhost:8080', clientAuth: 'body', clientId: '' }),
];

const TOKEN: TokenState = {
  accessToken: 'access-token-Vb93Kp',
  tokenType: 'Bearer',
  receivedAt: NOW - 1000,
  expiresAt: NOW + 3_600_000,
  lastAttemptAt: NOW - 1000,
};

/** Three profiles, Staging active, Production with a token. Frozen: nothing here may change it. */
function storedData(): StoredData {
  return deepFreeze<StoredData>({
    schemaVersion: CURRENT_SCHEMA_VERSION,
    activeProfileId: PROFILES[1]?.id ?? null,
    profiles: structuredClone(PROFILES),
    tokens: { [PROFILES[0]?.id ?? '']: TOKEN },
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function counter(prefix = 'new'): () => string {
  let n = 0;
  return () => `${prefix}-${String((n += 1))}`;
}

function withoutId({ id: _id, ...rest }: Profile): Omit<Profile, 'id'> {
  return rest;
}

function succeeded(result: ImportResult): Extract<ImportResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected the file to be read, got: ${result.problem}`);
  return result;
}

function parse(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/** The file as an object to alter, with its profile entries and encrypted block typed loosely. */
function editable(text: string) {
  const file = parse(text);
  return {
    file,
    profiles: file.profiles as Record<string, unknown>[],
    encrypted: file.encrypted as { kdf: Record<string, unknown>; sealed: Record<string, unknown> },
  };
}

const secretsOf = (profiles: readonly Profile[]) => profiles.flatMap((p) => [p.clientSecret, p.refreshToken]);

describe('exportFileName', () => {
  it('names the file after the local date', () => {
    expect(exportFileName(new Date(2025, 0, 5, 12, 0))).toBe('sign-token-refresher-profiles-2025-01-05.json');
    expect(exportFileName(new Date(2024, 11, 31, 23, 59, 59))).toBe(
      'sign-token-refresher-profiles-2024-12-31.json',
    );
    expect(exportFileName(new Date(2026, 9, 20, 0, 0, 1))).toBe(
      'sign-token-refresher-profiles-2026-10-20.json',
    );
  });

  it('refuses an invalid date rather than naming a file "NaN"', () => {
    expect(() => exportFileName(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('buildExport', () => {
  it('without secrets: the versioned schema, pretty-printed, with no id, secret or token anywhere', async () => {
    const text = await buildExport(PROFILES, {});
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(`${JSON.stringify(parse(text), null, 2)}\n`);
    expect(parse(text)).toEqual({
      format: EXPORT_FORMAT,
      version: 1,
      exportedAt: new Date(NOW).toISOString(),
      profiles: PROFILES.map((p) => ({
        name: p.name,
        clientId: p.clientId,
        oauthHost: p.oauthHost,
        clientAuth: p.clientAuth,
      })),
    });
    for (const secret of secretsOf(PROFILES)) expect(text).not.toContain(secret);
    for (const p of PROFILES) expect(text).not.toContain(p.id);
    expect(text).not.toContain(TOKEN.accessToken);
    expect(text).not.toMatch(/encrypted|clientSecret|refreshToken|accessToken/);
  });

  it('with secrets: sealed in an encrypted block, never in clear', async () => {
    const text = await buildExport(PROFILES, { secrets: { passphrase: PASSPHRASE } });
    const { file, encrypted } = editable(text);
    expect(Object.keys(file)).toEqual(['format', 'version', 'exportedAt', 'profiles', 'encrypted']);
    expect(Object.keys(encrypted)).toEqual(['kdf', 'sealed']);
    expect(encrypted.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256' });
    expect(Object.keys(encrypted.sealed)).toEqual(['iv', 'ciphertext']);
    for (const secret of secretsOf(PROFILES)) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(toBase64(new TextEncoder().encode(secret)));
    }
    for (const p of PROFILES) expect(text).not.toContain(p.id);
    expect(text).not.toContain(PASSPHRASE);
    expect(text).not.toMatch(/clientSecret|refreshToken|accessToken/);
    // The clear part is the same as without secrets.
    const { encrypted: _e, exportedAt: _t, ...clear } = file;
    const { exportedAt: _t2, ...plain } = parse(await buildExport(PROFILES, {}));
    expect(clear).toEqual(plain);
  });

  it('draws a new salt and IV for every export', async () => {
    const one = editable(await buildExport(PROFILES, { secrets: { passphrase: PASSPHRASE } })).encrypted;
    const two = editable(await buildExport(PROFILES, { secrets: { passphrase: PASSPHRASE } })).encrypted;
    expect(one.kdf.salt).not.toBe(two.kdf.salt);
    expect(one.sealed.iv).not.toBe(two.sealed.iv);
    expect(one.sealed.ciphertext).not.toBe(two.sealed.ciphertext);
  });

  it('marks a profile still to be reviewed, and seals no host for it', async () => {
    const unreviewed = profile('r', { needsReview: true });
    const text = await buildExport([unreviewed], {});
    expect(editable(text).profiles[0]).toEqual({
      name: unreviewed.name,
      clientId: unreviewed.clientId,
      oauthHost: unreviewed.oauthHost,
      clientAuth: unreviewed.clientAuth,
      needsReview: true,
    });
  });

  it('refuses an empty selection and a passphrase the vault would refuse', async () => {
    await expect(buildExport([], {})).rejects.toThrow('Choose at least one profile');
    await expect(buildExport(PROFILES, { secrets: { passphrase: 'too short' } })).rejects.toThrow(
      'at least 12 characters',
    );
  });
});

describe('a round trip', () => {
  it('export with secrets, delete, import: the same profiles back (but ids and tokens)', async () => {
    const before = storedData();
    const text = await buildExport(before.profiles, { secrets: { passphrase: PASSPHRASE } });
    let emptied: StoredData = before;
    for (const p of before.profiles) {
      const result = deleteProfile(emptied, p.id);
      if (!result.ok) throw new Error(result.problem);
      emptied = result.data;
    }
    expect(emptied.profiles).toEqual([]);

    const read = succeeded(await readImport(text, { passphrase: PASSPHRASE }));
    expect(read.hasSecrets).toBe(true);
    const { data, added } = addImported(emptied, read.profiles, counter());
    expect(data.profiles.map(withoutId)).toEqual(before.profiles.map(withoutId));
    expect(data.profiles.map((p) => p.id)).toEqual(['new-1', 'new-2', 'new-3']);
    expect(added).toEqual(before.profiles.map((p, i) => ({ id: `new-${String(i + 1)}`, name: p.name })));
    expect(data.tokens).toEqual({});
    expect(data.activeProfileId).toBe('new-1');
  });

  it('without secrets: the same profiles with empty secrets, for the user to fill in', async () => {
    const read = succeeded(await readImport(await buildExport(PROFILES, {}), {}));
    expect(read.hasSecrets).toBe(false);
    expect(read.profiles.every((p) => !('clientSecret' in p) && !('refreshToken' in p))).toBe(true);
    const { data } = addImported(emptyData(), read.profiles, counter());
    expect(data.profiles.map(withoutId)).toEqual(
      PROFILES.map((p) => ({ ...withoutId(p), clientSecret: '', refreshToken: '' })),
    );
  });

  it('a passphrase given for a file without secrets is not needed and changes nothing', async () => {
    const read = succeeded(await readImport(await buildExport(PROFILES, {}), { passphrase: PASSPHRASE }));
    expect(read.hasSecrets).toBe(false);
  });

  it('a profile still to be reviewed comes back still to be reviewed, even if the flag is removed from the file', async () => {
    const unreviewed = profile('r', { needsReview: true });
    const text = await buildExport([PROFILES[0] ?? profile('x'), unreviewed], {
      secrets: { passphrase: PASSPHRASE },
    });
    const read = succeeded(await readImport(text, { passphrase: PASSPHRASE }));
    expect(read.profiles[1]).toEqual(withoutId(unreviewed));
    expect(read.profiles[0]).not.toHaveProperty('needsReview');

    const { file, profiles } = editable(text);
    delete profiles[1]?.needsReview;
    const stripped = succeeded(await readImport(JSON.stringify(file), { passphrase: PASSPHRASE }));
    expect(stripped.profiles[1]?.needsReview).toBe(true);
  });

  it('holds for any profiles (property)', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    const name = fc
      .string({ minLength: 1, maxLength: MAX_NAME_LENGTH })
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const host = fc.constantFrom(
      'https://app.hellosign.com',
      'https://example.com:8443',
      'http://localhost:3000',
      'http://127.0.0.1',
    );
    const arbProfile = fc.record({
      name,
      clientId: fc.string(),
      clientSecret: fc.string(),
      refreshToken: fc.string(),
      oauthHost: host,
      clientAuth: fc.constantFrom(...CLIENT_AUTH_MODES),
      needsReview: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbProfile, { minLength: 1, maxLength: 4 }), async (drawn) => {
        const profiles: Profile[] = drawn.map(({ needsReview, ...p }, i) => ({
          id: `p-${String(i)}`,
          ...p,
          ...(needsReview ? { needsReview: true } : {}),
        }));
        const text = await buildExport(profiles, { secrets: { passphrase: PASSPHRASE } });
        const read = succeeded(await readImport(text, { passphrase: PASSPHRASE }));
        expect(read.profiles).toEqual(profiles.map(withoutId));
      }),
      { numRuns: 40 },
    );
  });
});

describe('readImport', () => {
  /** A failure, with nothing else: no profile to add. */
  async function problemOf(text: string, passphrase?: string): Promise<Extract<ImportResult, { ok: false }>> {
    const result = await readImport(text, passphrase === undefined ? {} : { passphrase });
    if (result.ok) throw new Error('expected the file to be refused');
    expect(Object.keys(result).sort()).toEqual(
      result.needsPassphrase ? ['needsPassphrase', 'ok', 'problem'] : ['ok', 'problem'],
    );
    for (const secret of [...secretsOf(PROFILES), PASSPHRASE, 'WRONG passphrase 123', 'LEAKED-VALUE-Hh4']) {
      expect(result.problem).not.toContain(secret);
    }
    return result;
  }

  async function plainFile() {
    return editable(await buildExport(PROFILES, {}));
  }

  async function sealedFile() {
    return editable(await buildExport(PROFILES, { secrets: { passphrase: PASSPHRASE } }));
  }

  it('accepts a file with a byte-order mark, trims names and normalizes hosts', async () => {
    const { file, profiles } = await plainFile();
    Object.assign(profiles[0] ?? {}, { name: '  Production  ', oauthHost: 'app.hellosign.com/' });
    const read = succeeded(await readImport(`\uFEFF${JSON.stringify(file)}`, {}));
    expect(read.profiles[0]).toMatchObject({ name: 'Production', oauthHost: 'https://app.hellosign.com' });
  });

  it.each(['', 'not json', '{"format":', 'sign-token-refresher-profiles'])(
    'refuses text that is not JSON: %j',
    async (text) => {
      expect((await problemOf(text)).problem).toBe(IMPORT_PROBLEMS.notJson);
    },
  );

  it.each([
    ['a list', '[]'],
    ['a number', '42'],
    ['null', 'null'],
    ['another format', JSON.stringify({ format: 'something-else', version: 1, profiles: [] })],
    ['no format', JSON.stringify({ version: 1, profiles: [] })],
    ['stored data', JSON.stringify(emptyData())],
  ])('refuses JSON that is not an export of this extension: %s', async (_what, text) => {
    expect((await problemOf(text)).problem).toBe(IMPORT_PROBLEMS.notOurs);
  });

  it('tells a newer version (update the extension) from an unknown one', async () => {
    const { file } = await plainFile();
    file.version = 3;
    const newer = (await problemOf(JSON.stringify(file))).problem;
    expect(newer).toBe(newerVersionProblem(3));
    expect(newer).toMatch(/newer version.*Update the extension/);
    for (const version of [0, -1, 1.5, '1', null, undefined]) {
      file.version = version;
      const { problem } = await problemOf(JSON.stringify(file));
      expect(problem).toMatch(
        /version \(.+\) is not one Sign Token Refresher knows\. Export the profiles again/,
      );
    }
  });

  it('refuses a field the format does not have, quoting its name but not its value', async () => {
    const { file } = await plainFile();
    file.extra = 'LEAKED-VALUE-Hh4';
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(/field .* does not write \(“extra”\)/);
  });

  it('cuts a long unknown field name short when quoting it', async () => {
    const { file } = await plainFile();
    file[`${'k'.repeat(39)}😀LEAKED-VALUE-Hh4`] = 1;
    const { problem } = await problemOf(JSON.stringify(file));
    expect(problem).toContain(`(“${'k'.repeat(39)}…”)`);
  });

  it('refuses an exportedAt that is not text', async () => {
    const { file } = await plainFile();
    file.exportedAt = 1_736_942_400_000;
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(
      /“exportedAt” should be text, not a number/,
    );
  });

  it('refuses a missing, non-list or empty profile list', async () => {
    const { file } = await plainFile();
    delete file.profiles;
    expect((await problemOf(JSON.stringify(file))).problem).toBe(IMPORT_PROBLEMS.noProfileList);
    file.profiles = { 0: {} };
    expect((await problemOf(JSON.stringify(file))).problem).toBe(IMPORT_PROBLEMS.noProfileList);
    file.profiles = [];
    expect((await problemOf(JSON.stringify(file))).problem).toBe(IMPORT_PROBLEMS.noProfiles);
  });

  it.each([
    ['clientId', 12345, /Profile 2 in this file: “clientId” should be text, not a number\./],
    ['name', undefined, /Profile 2 in this file: “name” is missing\./],
    [
      'oauthHost',
      ['https://app.hellosign.com'],
      /Profile 2 in this file: “oauthHost” should be text, not a list\./,
    ],
    ['clientAuth', null, /Profile 2 in this file: “clientAuth” should be text, not null\./],
    [
      'needsReview',
      false,
      /Profile 2 in this file \(“Staging”\): “needsReview” should be true or absent, not true or false\./,
    ],
  ])('names the profile and the field of the wrong type: %s', async (field, value, message) => {
    const { file, profiles } = await plainFile();
    const entry = profiles[1] ?? {};
    if (value === undefined) Reflect.deleteProperty(entry, field);
    else entry[field] = value;
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(message);
  });

  it('refuses a profile entry that is not an object', async () => {
    const { file, profiles } = await plainFile();
    (profiles as unknown[])[2] = 'LEAKED-VALUE-Hh4';
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(
      /Profile 3 in this file should be an object, not text/,
    );
  });

  it('refuses a secret in clear (an unknown profile field), without quoting it', async () => {
    const { file, profiles } = await plainFile();
    Object.assign(profiles[0] ?? {}, { clientSecret: 'LEAKED-VALUE-Hh4' });
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(
      /Profile 1 in this file has a field .* does not export \(“clientSecret”\)/,
    );
    Object.assign(profiles[0] ?? {}, { clientSecret: undefined, id: 'id-a-7f3a9c' });
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(/Profile 1 .* \(“id”\)/);
  });

  it.each([
    'http://example.com',
    'https://api.hellosign.com',
    'https://app.hellosign.com/oauth/token',
    'https://',
  ])('quotes the OAuth host check for %j', async (host) => {
    const { file, profiles } = await plainFile();
    Object.assign(profiles[1] ?? {}, { oauthHost: host });
    const refused = normalizeOauthHost(host);
    if (!('error' in refused)) throw new Error('the host should be refused');
    const { problem } = await problemOf(JSON.stringify(file));
    expect(problem).toContain('Profile 2 in this file (“Staging”) has an OAuth host that is not accepted');
    expect(problem).toContain(refused.error);
  });

  it('refuses a client authentication it does not know', async () => {
    const { file, profiles } = await plainFile();
    Object.assign(profiles[0] ?? {}, { clientAuth: 'header' });
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(
      /Profile 1 in this file \(“Production”\): “clientAuth” should be one of “body”, “basic”, “both”/,
    );
  });

  it('refuses an empty or too long name', async () => {
    const { file, profiles } = await plainFile();
    Object.assign(profiles[2] ?? {}, { name: '   ' });
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(
      /Profile 3 in this file has an empty name/,
    );
    Object.assign(profiles[2] ?? {}, { name: 'x'.repeat(MAX_NAME_LENGTH + 1) });
    expect((await problemOf(JSON.stringify(file))).problem).toMatch(
      new RegExp(
        `Profile 3 in this file has a name of ${String(MAX_NAME_LENGTH + 1)} characters; at most ${String(MAX_NAME_LENGTH)}`,
      ),
    );
  });

  it('asks for the passphrase of a file with secrets', async () => {
    const { file } = await sealedFile();
    for (const passphrase of [undefined, '']) {
      const result = await problemOf(JSON.stringify(file), passphrase);
      expect(result).toEqual({ ok: false, problem: IMPORT_PROBLEMS.needsPassphrase, needsPassphrase: true });
    }
    expect(IMPORT_PROBLEMS.needsPassphrase).toMatch(
      /^This file holds encrypted secrets: enter the passphrase it was exported with/,
    );
  });

  it('refuses a wrong passphrase, and asks again', async () => {
    const { file } = await sealedFile();
    const result = await problemOf(JSON.stringify(file), 'WRONG passphrase 123');
    expect(result).toEqual({ ok: false, problem: IMPORT_PROBLEMS.wrongPassphrase, needsPassphrase: true });
    // The same passphrase, as typed on another keyboard, is the right one (NFC).
    const accented = 'Ce\u0301sar is my passphrase';
    const text = await buildExport(PROFILES, { secrets: { passphrase: accented } });
    succeeded(await readImport(text, { passphrase: accented.normalize('NFC') }));
  });

  it('refuses a tampered ciphertext (indistinguishable from a wrong passphrase, and said so)', async () => {
    const { file, encrypted } = await sealedFile();
    const bytes = fromBase64(String(encrypted.sealed.ciphertext));
    bytes[5] = (bytes[5] ?? 0) ^ 0x01;
    encrypted.sealed.ciphertext = toBase64(bytes);
    const { problem } = await problemOf(JSON.stringify(file), PASSPHRASE);
    expect(problem).toBe(IMPORT_PROBLEMS.wrongPassphrase);
    expect(problem).toContain('or the file was changed after it was exported');
  });

  it('refuses a damaged encrypted block before asking for the passphrase', async () => {
    const damage: ((
      block: ReturnType<typeof editable>['encrypted'],
      file: Record<string, unknown>,
    ) => void)[] = [
      (_b, file) => (file.encrypted = 'LEAKED-VALUE-Hh4'),
      (_b, file) => (file.encrypted = null),
      (b) => (b.sealed.ciphertext = 'not base64!'),
      (b) => delete b.sealed.iv,
      (b) => (b.sealed.iv = toBase64(new Uint8Array(8))),
      (b) => delete (b as Partial<typeof b>).kdf,
      (b) => Object.assign(b, { extra: 1 }),
    ];
    for (const [i, change] of damage.entries()) {
      const { file, encrypted } = await sealedFile();
      change(encrypted, file);
      const needsNoPassphrase = i !== 4; // A wrong-length IV shows only when opening.
      if (needsNoPassphrase) {
        expect((await problemOf(JSON.stringify(file))).problem, `change ${String(i)}`).toBe(
          IMPORT_PROBLEMS.damagedBlock,
        );
      }
      expect((await problemOf(JSON.stringify(file), PASSPHRASE)).problem, `change ${String(i)}`).toBe(
        IMPORT_PROBLEMS.damagedBlock,
      );
    }
  });

  it('refuses key-derivation settings outside the vault’s limits', async () => {
    const changes: Partial<KdfParams>[] = [
      { iterations: 999 }, // below the (test) minimum
      { iterations: 20_000_000 }, // would hang the import
      { iterations: 1000.5 },
      { hash: 'SHA-1' as 'SHA-256' },
      { name: 'scrypt' as 'PBKDF2' },
      { salt: 'not base64!' },
    ];
    for (const change of changes) {
      const { file, encrypted } = await sealedFile();
      Object.assign(encrypted.kdf, change);
      expect((await problemOf(JSON.stringify(file), PASSPHRASE)).problem).toBe(IMPORT_PROBLEMS.kdfLimits);
    }
    expect(IMPORT_PROBLEMS.kdfLimits).toContain('600,000 to 10,000,000 iterations');
  });

  it('refuses sealed content of the wrong shape, once the passphrase opened it', async () => {
    const { file, encrypted } = await sealedFile();
    const key = await deriveKeyBytes(PASSPHRASE, encrypted.kdf as unknown as KdfParams);
    const shapes: unknown[] = [
      { profiles: {}, tokens: {} }, // what the vault seals
      [{ clientSecret: 1, refreshToken: 'r' }],
      [{ clientSecret: 's', refreshToken: 'r', accessToken: 'a' }],
      [{ clientSecret: 's', refreshToken: 'r', oauthHost: 'https://app.hellosign.com' }], // bound fields in part
    ];
    for (const shape of shapes) {
      file.encrypted = { kdf: encrypted.kdf, sealed: await seal(key, shape) };
      expect((await problemOf(JSON.stringify(file), PASSPHRASE)).problem).toBe(
        IMPORT_PROBLEMS.damagedContent,
      );
    }
  });

  it('refuses a file whose clear part was changed to send the secrets elsewhere', async () => {
    const changes: ((profiles: Record<string, unknown>[]) => void)[] = [
      (ps) => Object.assign(ps[0] ?? {}, { oauthHost: 'https://attacker.example' }),
      (ps) => Object.assign(ps[1] ?? {}, { clientId: 'client-id-other' }),
      (ps) => Object.assign(ps[1] ?? {}, { clientAuth: 'body' }),
      // Where the access token goes: an API host added to the clear part is refused too.
      (ps) => Object.assign(ps[0] ?? {}, { apiHost: 'https://attacker.example' }),
      (ps) => ps.reverse(),
    ];
    for (const change of changes) {
      const { file, profiles } = await sealedFile();
      change(profiles);
      expect((await problemOf(JSON.stringify(file), PASSPHRASE)).problem).toMatch(
        /^This file was changed after it was exported: the OAuth host, API host, client ID or client authentication of profile \d no longer matches/,
      );
    }
    const { file, profiles } = await sealedFile();
    profiles.pop();
    expect((await problemOf(JSON.stringify(file), PASSPHRASE)).problem).toMatch(
      /changed after it was exported: it lists 2 profiles but its encrypted secrets are for 3/,
    );
  });

  it('a renamed profile in a file with secrets is still accepted (the name decides nothing)', async () => {
    const { file, profiles } = await sealedFile();
    Object.assign(profiles[0] ?? {}, { name: 'Renamed' });
    const read = succeeded(await readImport(JSON.stringify(file), { passphrase: PASSPHRASE }));
    expect(read.profiles[0]).toMatchObject({ name: 'Renamed', clientSecret: PROFILES[0]?.clientSecret });
  });
});

describe("a profile's own API host", () => {
  const withApiHost = [profile('api', { name: 'Own API', apiHost: 'https://api.example.com' }), ...PROFILES];

  it('comes back after a round trip, with and without secrets, in a version 2 file', async () => {
    for (const secrets of [{ passphrase: PASSPHRASE }, undefined]) {
      const text = await buildExport(withApiHost, secrets ? { secrets } : {});
      expect(parse(text).version).toBe(2);
      const read = succeeded(await readImport(text, secrets ?? {}));
      expect(read.profiles.map((p) => p.apiHost)).toEqual([
        'https://api.example.com',
        ...PROFILES.map(() => undefined),
      ]);
      const { data } = addImported(emptyData(), read.profiles, counter());
      expect(data.profiles[0]?.apiHost).toBe('https://api.example.com');
      expect(data.profiles.slice(1).every((p) => !('apiHost' in p))).toBe(true);
    }
  });

  it('a file without one stays version 1, which an install from before reads', async () => {
    expect(parse(await buildExport(PROFILES, {})).version).toBe(1);
  });

  it('is checked like the form checks it: a base URL is taken as its origin, anything else refused', async () => {
    const { file, profiles } = editable(await buildExport(withApiHost, {}));
    Object.assign(profiles[0] ?? {}, { apiHost: 'https://api.example.com/v3' });
    expect(succeeded(await readImport(JSON.stringify(file), {})).profiles[0]?.apiHost).toBe(
      'https://api.example.com',
    );
    Object.assign(profiles[0] ?? {}, { apiHost: 'http://api.example.com' });
    const refused = await readImport(JSON.stringify(file), {});
    expect(refused.ok ? '' : refused.problem).toMatch(
      /^Profile 1 in this file \(“Own API”\) has an API host that is not accepted: .+ Nothing was imported\.$/,
    );
    Object.assign(profiles[0] ?? {}, { apiHost: 42 });
    const wrongType = await readImport(JSON.stringify(file), {});
    expect(wrongType.ok ? '' : wrongType.problem).toMatch(/“apiHost” should be text, not a number/);
  });

  it('a sealed API host removed from the clear part is refused: it decides where the token goes', async () => {
    const { file, profiles } = editable(
      await buildExport(withApiHost, { secrets: { passphrase: PASSPHRASE } }),
    );
    delete profiles[0]?.apiHost;
    const refused = await readImport(JSON.stringify(file), { passphrase: PASSPHRASE });
    expect(refused.ok ? '' : refused.problem).toMatch(
      /changed after it was exported: the OAuth host, API host/,
    );
  });
});

describe('addImported', () => {
  const imported = (name: string, extra: Partial<ImportedProfile> = {}): ImportedProfile => ({
    name,
    clientId: `cid-${name}`,
    oauthHost: 'https://app.hellosign.com',
    clientAuth: 'body',
    ...extra,
  });

  it('appends with fresh ids and changes nothing that was there', () => {
    const before = storedData();
    const copy = structuredClone(before);
    const { data, added } = addImported(
      before,
      [imported('New one', { clientSecret: 's', refreshToken: 'r' }), imported('Other')],
      counter(),
    );
    expect(before).toEqual(copy);
    expect(data.profiles.slice(0, before.profiles.length)).toEqual(copy.profiles);
    expect(data.tokens).toEqual(copy.tokens);
    expect(data.activeProfileId).toBe(copy.activeProfileId);
    expect(data.schemaVersion).toBe(copy.schemaVersion);
    expect(data.profiles.slice(before.profiles.length)).toEqual([
      {
        id: 'new-1',
        name: 'New one',
        clientId: 'cid-New one',
        clientSecret: 's',
        refreshToken: 'r',
        oauthHost: 'https://app.hellosign.com',
        clientAuth: 'body',
      },
      {
        id: 'new-2',
        name: 'Other',
        clientId: 'cid-Other',
        clientSecret: '',
        refreshToken: '',
        oauthHost: 'https://app.hellosign.com',
        clientAuth: 'body',
      },
    ]);
    expect(added).toEqual([
      { id: 'new-1', name: 'New one' },
      { id: 'new-2', name: 'Other' },
    ]);
  });

  it('renames on a clash with an existing name or an earlier imported one, and says so', () => {
    const { data, added } = addImported(
      storedData(),
      [imported('staging'), imported('Fresh'), imported('Fresh'), imported('Staging')],
      counter(),
    );
    expect(added).toEqual([
      { id: 'new-1', name: 'staging 2', renamedFrom: 'staging' },
      { id: 'new-2', name: 'Fresh' },
      { id: 'new-3', name: 'Fresh 2', renamedFrom: 'Fresh' },
      { id: 'new-4', name: 'Staging 3', renamedFrom: 'Staging' },
    ]);
    expect(data.profiles.map((p) => p.name)).toEqual([
      'Production',
      'Staging',
      'Local',
      'staging 2',
      'Fresh',
      'Fresh 2',
      'Staging 3',
    ]);
  });

  it('makes the first added profile active only when none was', () => {
    const none = deepFreeze({ ...emptyData(), profiles: [profile('z')] });
    expect(addImported(none, [imported('A'), imported('B')], counter()).data.activeProfileId).toBe('new-1');
    const before = storedData();
    expect(addImported(before, [imported('A')], counter()).data.activeProfileId).toBe(before.activeProfileId);
  });

  it('never reuses an id in use, nor one a stray token state is kept under', () => {
    const before = storedData();
    const stray = deepFreeze({ ...before, tokens: { ...before.tokens, 'p-orphan': TOKEN } });
    const ids = ['', PROFILES[0]?.id ?? '', 'p-orphan', 'p-fresh', 'p-fresh', 'p-fresh-2'];
    const { data, added } = addImported(stray, [imported('A'), imported('B')], () => ids.shift() ?? 'x');
    expect(added.map((a) => a.id)).toEqual(['p-fresh', 'p-fresh-2']);
    expect(data.tokens).toEqual(stray.tokens);
    expect(() => addImported(stray, [imported('C')], () => 'p-orphan')).toThrow(/ids already in use/);
  });

  it('adds nothing for an empty list', () => {
    const before = storedData();
    expect(addImported(before, [], counter())).toEqual({ data: before, added: [] });
  });
});
