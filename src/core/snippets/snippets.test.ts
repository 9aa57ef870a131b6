import { describe, expect, it } from 'vitest';
import {
  codeSnippet,
  SECRET_ENV,
  SNIPPET_LANGUAGES,
  type SnippetCall,
  type SnippetForm,
  type SnippetInput,
  type SnippetLanguage,
} from '.';

const BASE: Omit<SnippetInput, 'call' | 'language' | 'form'> = {
  oauthHost: 'https://app.hellosign.com',
  apiHost: 'https://api.hellosign.com',
  clientId: 'client-id-4f1c',
  clientSecret: 'CLIENT-SECRET-9d2e',
  refreshToken: 'REFRESH-TOKEN-77ab',
  accessToken: 'ACCESS-TOKEN-31cd',
  clientAuth: 'body',
  includeSecrets: false,
};

const LANGUAGES = SNIPPET_LANGUAGES.map((l) => l.id);
const SDK_LANGUAGES = SNIPPET_LANGUAGES.filter((l) => l.hasSdk).map((l) => l.id);

/** Every combination the UI can ask for. */
function* everyInput(overrides: Partial<SnippetInput> = {}): Generator<SnippetInput> {
  for (const language of LANGUAGES) {
    for (const call of ['refresh', 'account'] as const) {
      for (const form of ['sdk', 'http'] as const) yield { ...BASE, call, language, form, ...overrides };
    }
  }
}

const label = (input: SnippetInput) => `${input.language} ${input.form} ${input.call}`;

/** The comment block a program opens with (after a shebang or `<?php`). */
function topComment(code: string): string {
  const lines = code.split('\n');
  const start = lines.findIndex((line) => line.startsWith('# ') || line.startsWith('// '));
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('# ') && !line.startsWith('// ') && line !== '#' && line !== '//') break;
    block.push(line);
  }
  return block.join('\n');
}

describe('SNIPPET_LANGUAGES', () => {
  it('lists the vendor docs’ languages in their order, with an SDK for the six that have one', () => {
    expect(LANGUAGES).toEqual([
      'curl',
      'php',
      'csharp',
      'typescript',
      'java',
      'ruby',
      'python',
      'go',
      'swift',
    ]);
    expect(SDK_LANGUAGES).toEqual(['php', 'csharp', 'typescript', 'java', 'ruby', 'python']);
  });

  it('names the file each program needs: Main.java for `public class Main`, main.go, Program.cs', () => {
    const names = Object.fromEntries(SNIPPET_LANGUAGES.map((l) => [l.id, l.fileName]));
    expect(names.java).toBe('Main.java');
    expect(names.go).toBe('main.go');
    expect(names.csharp).toBe('Program.cs');
    expect(names.python).not.toBe('dropbox_sign.py'); // it would shadow the SDK's package
    for (const { id, fileName } of SNIPPET_LANGUAGES) {
      expect(codeSnippet({ ...BASE, call: 'refresh', language: id, form: 'http' })).toContain(fileName);
    }
  });
});

describe('codeSnippet', () => {
  it('gives a program for every language, call and form, ending in a newline, without trailing spaces', () => {
    for (const input of everyInput()) {
      const code = codeSnippet(input);
      expect(code, label(input)).toMatch(/\n$/);
      expect(code, label(input)).not.toMatch(/[ \t]+\n/);
      if (input.language !== 'go') expect(code, label(input)).not.toContain('\t');
    }
  });

  it("falls back to plain HTTP for form 'sdk' where there is no official SDK (curl, Go, Swift)", () => {
    for (const language of ['curl', 'go', 'swift'] as const) {
      for (const call of ['refresh', 'account'] as const) {
        const input = { ...BASE, call, language };
        expect(codeSnippet({ ...input, form: 'sdk' })).toBe(codeSnippet({ ...input, form: 'http' }));
      }
    }
  });

  it('uses the official SDK in the sdk form, and only the standard library in the http form', () => {
    const sdkMarkers: Record<string, RegExp> = {
      php: /Dropbox\\Sign\\Api\\(OAuthApi|AccountApi)/,
      csharp: /using Dropbox\.Sign\.Api;/,
      typescript: /from "@dropbox\/sign"/,
      java: /import com\.dropbox\.sign\.api\.(OAuthApi|AccountApi);/,
      ruby: /require "dropbox-sign"/,
      python: /from dropbox_sign import/,
    };
    for (const language of SDK_LANGUAGES) {
      for (const call of ['refresh', 'account'] as const) {
        const input = { ...BASE, call, language };
        expect(codeSnippet({ ...input, form: 'sdk' })).toMatch(sdkMarkers[language] ?? /never/);
        expect(codeSnippet({ ...input, form: 'http' })).not.toMatch(
          /dropbox_sign|dropbox-sign|@dropbox\/sign|Dropbox\\Sign|Dropbox\.Sign|Dropbox::Sign|com\.dropbox/,
        );
      }
    }
  });

  it('calls the SDK methods of the vendor’s examples', () => {
    const methods: Record<string, [refresh: string, account: string]> = {
      php: ['->oauthTokenRefresh(', '->accountGet()'],
      csharp: ['.OauthTokenRefresh(', '.AccountGet()'],
      typescript: ['.oauthTokenRefresh(', '.accountGet()'],
      java: ['.oauthTokenRefresh(', '.accountGet(null, null)'],
      ruby: ['.oauth_token_refresh(', '.account_get'],
      python: ['.oauth_token_refresh(', '.account_get()'],
    };
    for (const language of SDK_LANGUAGES) {
      const [refresh, account] = methods[language] ?? ['', ''];
      expect(codeSnippet({ ...BASE, call: 'refresh', language, form: 'sdk' })).toContain(refresh);
      expect(codeSnippet({ ...BASE, call: 'account', language, form: 'sdk' })).toContain(account);
    }
  });

  it('sends the refresh to {oauthHost}/oauth/token?refresh, the account call to {apiHost}/v3/account', () => {
    const hosts = { oauthHost: 'http://127.0.0.1:8443', apiHost: 'http://127.0.0.1:9443' };
    for (const language of LANGUAGES) {
      const refresh = codeSnippet({ ...BASE, ...hosts, call: 'refresh', language, form: 'http' });
      expect(refresh, language).toContain('http://127.0.0.1:8443/oauth/token?refresh');
      expect(refresh, language).toMatch(/POST/);
      const account = codeSnippet({ ...BASE, ...hosts, call: 'account', language, form: 'http' });
      expect(account, language).toContain('http://127.0.0.1:9443/v3/account');
      expect(account, language).toContain('Bearer');
    }
  });
});

describe('secrets', () => {
  it('are read from the environment by default: named in the top comment, absent from the code', () => {
    for (const input of everyInput()) {
      const code = codeSnippet(input);
      const names =
        input.call === 'refresh'
          ? [SECRET_ENV.clientSecret, SECRET_ENV.refreshToken]
          : [SECRET_ENV.accessToken];
      for (const name of names) expect(topComment(code), label(input)).toContain(name);
      for (const secret of [BASE.clientSecret, BASE.refreshToken, BASE.accessToken]) {
        expect(code, label(input)).not.toContain(secret);
      }
    }
  });

  it('keep the client ID inline: it is not secret', () => {
    for (const input of everyInput({ call: 'refresh' })) {
      expect(codeSnippet(input), label(input)).toContain(BASE.clientId);
    }
  });

  it('are written into the code with "include secrets", and no environment variable is read', () => {
    for (const input of everyInput({ includeSecrets: true })) {
      const code = codeSnippet(input);
      const secrets = input.call === 'refresh' ? [BASE.clientSecret, BASE.refreshToken] : [BASE.accessToken];
      for (const secret of secrets) expect(code, label(input)).toContain(secret);
      for (const name of Object.values(SECRET_ENV)) expect(code, label(input)).not.toContain(name);
      expect(topComment(code), label(input)).toMatch(/keep this file private/);
    }
  });

  it('never let profile text into a comment, where a newline or `?>` would turn it into code', () => {
    const hostile = { clientId: 'id\n?>\nrm -rf ~', oauthHost: 'https://x\n?>', apiHost: 'https://y\n?>' };
    for (const input of everyInput({
      ...hostile,
      includeSecrets: true,
      clientSecret: 's\n?>',
      refreshToken: 'r\n?>',
    })) {
      const code = codeSnippet(input);
      expect(code, label(input)).not.toContain('?>\n');
      expect(code, label(input)).not.toContain('\nrm -rf');
    }
  });
});

describe('client authentication on the refresh', () => {
  /** How each program puts client_secret in the JSON body: the http form, then the SDK form. */
  const BODY_SECRET: Record<SnippetLanguage, Partial<Record<SnippetForm, string>>> = {
    curl: { http: '"client_secret":%s' },
    php: { http: "'client_secret' => $client_secret", sdk: '->setClientSecret($client_secret)' },
    csharp: { http: '",\\"client_secret\\":" + Json(clientSecret)', sdk: 'clientSecret: clientSecret' },
    typescript: { http: 'client_secret: clientSecret', sdk: '    clientSecret,' },
    java: { http: '",\\"client_secret\\":" + json(clientSecret)', sdk: '.clientSecret(clientSecret);' },
    ruby: { http: 'client_secret: client_secret', sdk: '.client_secret = client_secret' },
    python: { http: '"client_secret": client_secret', sdk: 'client_secret=client_secret' },
    go: { http: '"client_secret": clientSecret' },
    swift: { http: '"client_secret": clientSecret' },
  };
  const BASIC = /Basic|basic_auth|SetBasicAuth|--user /;

  for (const mode of ['body', 'basic', 'both'] as const) {
    it(`'${mode}': credentials ${mode === 'body' ? 'in the body only' : mode === 'basic' ? 'in a Basic header only' : 'in the body and a Basic header'}`, () => {
      for (const input of everyInput({ call: 'refresh', clientAuth: mode })) {
        const sdkFallback = input.form === 'sdk' && !SDK_LANGUAGES.includes(input.language);
        const form = sdkFallback ? 'http' : input.form;
        const marker = BODY_SECRET[input.language][form];
        if (marker === undefined) throw new Error(`no marker for ${label(input)}`);
        const code = codeSnippet(input);
        // The program text aside from its top comment, which says in words what is sent.
        const body = code.replace(topComment(code), '');
        if (mode === 'basic') expect(body, label(input)).not.toContain(marker);
        else expect(body, label(input)).toContain(marker);
        if (mode === 'body') expect(body, label(input)).not.toMatch(BASIC);
        else expect(body, label(input)).toMatch(BASIC);
      }
    });
  }

  it('says in the top comment where the credentials go', () => {
    const say = (clientAuth: SnippetInput['clientAuth']) =>
      topComment(codeSnippet({ ...BASE, call: 'refresh', language: 'python', form: 'http', clientAuth }));
    expect(say('body')).toContain('in the JSON body.');
    expect(say('basic')).toContain('HTTP Basic header, not in the body');
    expect(say('both')).toContain('in the JSON body and as an HTTP Basic header');
  });
});

describe('the SDK form against a host of the user’s', () => {
  const local = { oauthHost: 'http://127.0.0.1:8443', apiHost: 'http://127.0.0.1:9443' };

  it('points every SDK at the profile’s hosts when they are not the defaults', () => {
    const settings: Record<string, [refresh: RegExp, account: RegExp]> = {
      php: [
        /getHostSettingsForoauthTokenRefresh[\s\S]*'http:\/\/127\.0\.0\.1:8443'/,
        /setHost\('http:\/\/127\.0\.0\.1:9443\/v3'\)/,
      ],
      csharp: [
        /OperationServers[\s\S]*"http:\/\/127\.0\.0\.1:8443"/,
        /BasePath = "http:\/\/127\.0\.0\.1:9443\/v3"/,
      ],
      typescript: [/basePath = "http:\/\/127\.0\.0\.1:8443"/, /basePath = "http:\/\/127\.0\.0\.1:9443\/v3"/],
      java: [
        /setServerIndex\(null\);\s+config\.setBasePath\("http:\/\/127\.0\.0\.1:8443"\)/,
        /setBasePath\("http:\/\/127\.0\.0\.1:9443\/v3"\)/,
      ],
      ruby: [
        /ignore_operation_servers = true[\s\S]*host = '127\.0\.0\.1:8443'/,
        /host = '127\.0\.0\.1:9443'\s+config\.base_path = '\/v3'/,
      ],
      python: [
        /host="http:\/\/127\.0\.0\.1:8443", ignore_operation_servers=True/,
        /host="http:\/\/127\.0\.0\.1:9443\/v3"/,
      ],
    };
    for (const language of SDK_LANGUAGES) {
      const [refresh, account] = settings[language] ?? [/never/, /never/];
      expect(codeSnippet({ ...BASE, ...local, call: 'refresh', language, form: 'sdk' }), language).toMatch(
        refresh,
      );
      expect(codeSnippet({ ...BASE, ...local, call: 'account', language, form: 'sdk' }), language).toMatch(
        account,
      );
    }
  });

  it('leaves the SDK’s own hosts alone when they are the defaults', () => {
    for (const language of SDK_LANGUAGES) {
      for (const call of ['refresh', 'account'] as SnippetCall[]) {
        const code = codeSnippet({ ...BASE, call, language, form: 'sdk' });
        expect(code, `${language} ${call}`).not.toMatch(
          /basePath|BasePath|setHost|config\.host|host=|OperationServers/,
        );
      }
    }
  });
});

describe('the hosts and path the snippets repeat', () => {
  it('agree with the ones the extension sends to', async () => {
    const plan = await import('./plan');
    const { DEFAULT_OAUTH_HOST } = await import('../profile');
    const { DEFAULT_API_HOST } = await import('../account');
    const { TOKEN_PATH } = await import('../refresh-request');
    expect([plan.REAL_OAUTH_HOST, plan.REAL_API_HOST, plan.OAUTH_TOKEN_PATH]).toEqual([
      DEFAULT_OAUTH_HOST,
      DEFAULT_API_HOST,
      TOKEN_PATH,
    ]);
  });
});
